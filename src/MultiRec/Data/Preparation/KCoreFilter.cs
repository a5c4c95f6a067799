// Iterative k-core filtering of an interaction list: drop users and items with fewer than k rows until stable.
namespace MultiRec.Data.Preparation;

/// <summary>The k-core of a bipartite interaction list.</summary>
public static class KCoreFilter
{
    /// <summary>
    /// Marks the rows that survive: repeatedly removes every row whose user or item has fewer than
    /// <paramref name="k"/> remaining rows, until no row is removed. k ≤ 1 keeps every row.
    /// </summary>
    public static bool[] Keep(ReadOnlySpan<int> users, ReadOnlySpan<int> items, int userCount, int itemCount, int k)
    {
        if (users.Length != items.Length)
        {
            throw new ArgumentException($"{users.Length} users but {items.Length} items");
        }

        var keep = new bool[users.Length];
        Array.Fill(keep, true);
        if (k <= 1)
        {
            return keep;
        }

        var userDegree = new int[userCount];
        var itemDegree = new int[itemCount];
        for (var n = 0; n < users.Length; n++)
        {
            userDegree[users[n]]++;
            itemDegree[items[n]]++;
        }

        bool removed;
        do
        {
            removed = false;
            for (var n = 0; n < users.Length; n++)
            {
                if (keep[n] && (userDegree[users[n]] < k || itemDegree[items[n]] < k))
                {
                    keep[n] = false;
                    removed = true;
                }
            }

            // Degrees are recounted after each full pass, as the reference's pandas loop does.
            Array.Clear(userDegree);
            Array.Clear(itemDegree);
            for (var n = 0; n < users.Length; n++)
            {
                if (keep[n])
                {
                    userDegree[users[n]]++;
                    itemDegree[items[n]]++;
                }
            }
        }
        while (removed);

        return keep;
    }
}
