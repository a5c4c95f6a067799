// Compressed sparse rows of user -> item ids for one split (train, valid or test).
namespace MultiRec.Data;

/// <summary>CSR of users to item ids. Row u lists the items of user u, sorted ascending and unique.
/// Users with no item in this split have an empty row.</summary>
public sealed class UserItemCsr
{
    /// <summary>A CSR matrix: user u's items are itemIds[rowPtr[u]..rowPtr[u + 1]).</summary>
    public UserItemCsr(int users, int items, int[] rowPtr, int[] itemIds)
    {
        if (rowPtr.Length != users + 1)
        {
            throw new ArgumentException($"rowPtr length {rowPtr.Length} != users + 1 ({users + 1})", nameof(rowPtr));
        }

        if (rowPtr[users] != itemIds.Length)
        {
            throw new ArgumentException("rowPtr[users] must equal itemIds.Length", nameof(itemIds));
        }

        Users = users;
        Items = items;
        RowPtr = rowPtr;
        ItemIds = itemIds;
    }

    /// <summary>Number of user rows.</summary>
    public int Users { get; }

    /// <summary>Size of the item id space (columns).</summary>
    public int Items { get; }

    /// <summary>Row offsets, length Users + 1.</summary>
    public int[] RowPtr { get; }

    /// <summary>Item ids, row after row.</summary>
    public int[] ItemIds { get; }

    /// <summary>Total number of (user, item) entries.</summary>
    public int Count => ItemIds.Length;

    /// <summary>The sorted items of one user.</summary>
    public ReadOnlySpan<int> ItemsOf(int user) => ItemIds.AsSpan(RowPtr[user], RowPtr[user + 1] - RowPtr[user]);

    /// <summary>Number of items of one user.</summary>
    public int Degree(int user) => RowPtr[user + 1] - RowPtr[user];

    /// <summary>Users with at least one item, ascending.</summary>
    public int[] NonEmptyUsers()
    {
        var count = 0;
        for (var u = 0; u < Users; u++)
        {
            if (RowPtr[u + 1] > RowPtr[u])
            {
                count++;
            }
        }

        var result = new int[count];
        var k = 0;
        for (var u = 0; u < Users; u++)
        {
            if (RowPtr[u + 1] > RowPtr[u])
            {
                result[k++] = u;
            }
        }

        return result;
    }

    /// <summary>Builds a CSR from parallel arrays of pairs (any order, duplicates collapsed).</summary>
    public static UserItemCsr FromPairs(int users, int items, ReadOnlySpan<int> pairUsers, ReadOnlySpan<int> pairItems)
    {
        if (pairUsers.Length != pairItems.Length)
        {
            throw new ArgumentException("pair arrays differ in length");
        }

        var counts = new int[users + 1];
        foreach (var u in pairUsers)
        {
            counts[u + 1]++;
        }

        for (var u = 0; u < users; u++)
        {
            counts[u + 1] += counts[u];
        }

        var fill = (int[])counts.Clone();
        var buffer = new int[pairUsers.Length];
        for (var n = 0; n < pairUsers.Length; n++)
        {
            buffer[fill[pairUsers[n]]++] = pairItems[n];
        }

        // Sort each row and drop duplicates, compacting in place.
        var rowPtr = new int[users + 1];
        var write = 0;
        for (var u = 0; u < users; u++)
        {
            var row = buffer.AsSpan(counts[u], counts[u + 1] - counts[u]);
            row.Sort();
            var start = write;
            for (var j = 0; j < row.Length; j++)
            {
                if (j > 0 && row[j] == row[j - 1])
                {
                    continue;
                }

                buffer[write++] = row[j];
            }

            rowPtr[u] = start;
            rowPtr[u + 1] = write;
        }

        return new UserItemCsr(users, items, rowPtr, buffer.AsSpan(0, write).ToArray());
    }
}
