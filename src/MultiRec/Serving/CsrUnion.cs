// Row-by-row union of two user→item CSRs (e.g. train ∪ valid), keeping rows sorted and unique.
using MultiRec.Data;

namespace MultiRec.Serving;

/// <summary>Merges the sorted rows of two CSRs of the same shape.</summary>
internal static class CsrUnion
{
    public static UserItemCsr Of(UserItemCsr a, UserItemCsr b)
    {
        if (a.Users != b.Users || a.Items != b.Items)
        {
            throw new ArgumentException($"CSR shapes differ: {a.Users} x {a.Items} and {b.Users} x {b.Items}");
        }

        var rowPtr = new int[a.Users + 1];
        var items = new int[a.Count + b.Count];
        var n = 0;
        for (var u = 0; u < a.Users; u++)
        {
            var left = a.ItemsOf(u);
            var right = b.ItemsOf(u);
            int i = 0, j = 0;
            while (i < left.Length || j < right.Length)
            {
                int next;
                if (j == right.Length || (i < left.Length && left[i] < right[j]))
                {
                    next = left[i++];
                }
                else if (i == left.Length || right[j] < left[i])
                {
                    next = right[j++];
                }
                else
                {
                    next = left[i++];
                    j++;
                }

                items[n++] = next;
            }

            rowPtr[u + 1] = n;
        }

        return new UserItemCsr(a.Users, a.Items, rowPtr, items.AsSpan(0, n).ToArray());
    }
}
