// MMRec's per-user random split (bm3-reference.md §3.2): per user, rows in a seeded random order; n < 10 gives
// n-2 train / 1 valid / 1 test; otherwise v = floor(0.2 n), valid = v / 2, test = v - v / 2, train = n - v.
namespace MultiRec.Data;

/// <summary>Assigns x_label values (0 train, 1 valid, 2 test) to interaction rows with the reference rule.</summary>
public static class PerUserSplit
{
    /// <summary>Users with fewer rows than this are all train: the reference rule would leave a user with 2 rows
    /// no training row (and the loader would drop both held-out rows), so such users are kept whole for
    /// training and are simply not evaluated. This matches how ../shared/data/scientific was built.</summary>
    public const int MinRowsToHoldOut = 3;

    /// <summary>Train, valid and test row counts for a user with <paramref name="n"/> rows.</summary>
    public static (int Train, int Valid, int Test) Sizes(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (n < MinRowsToHoldOut)
        {
            return (n, 0, 0);
        }

        if (n < 10)
        {
            return (n - 2, 1, 1);
        }

        var heldOut = n / 5;
        var valid = heldOut / 2;
        return (n - heldOut, valid, heldOut - valid);
    }

    /// <summary>One label per row, in row order. Each user's rows are shuffled with a generator seeded by
    /// <paramref name="seed"/> (users visited in ascending id order), then the first Train rows get 0, the next
    /// Valid rows 1, the rest 2. The same rows and seed always give the same labels.</summary>
    public static byte[] Assign(ReadOnlySpan<int> users, int userCount, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(userCount);
        var start = new int[userCount + 1];
        for (var n = 0; n < users.Length; n++)
        {
            var u = users[n];
            if ((uint)u >= (uint)userCount)
            {
                throw new ArgumentOutOfRangeException(nameof(users), $"row {n}: user {u} is outside [0, {userCount})");
            }

            start[u + 1]++;
        }

        for (var u = 0; u < userCount; u++)
        {
            start[u + 1] += start[u];
        }

        // Row indices grouped by user, each group in file order (a stable counting sort).
        var rowsByUser = new int[users.Length];
        var fill = start.AsSpan(0, userCount).ToArray();
        for (var n = 0; n < users.Length; n++)
        {
            rowsByUser[fill[users[n]]++] = n;
        }

        var random = new SeededRandom((ulong)(uint)seed);
        var labels = new byte[users.Length];
        for (var u = 0; u < userCount; u++)
        {
            var rows = rowsByUser.AsSpan(start[u], start[u + 1] - start[u]);
            random.Shuffle(rows);
            var (train, valid, _) = Sizes(rows.Length);
            for (var k = 0; k < rows.Length; k++)
            {
                labels[rows[k]] = k < train ? SplitLabel.Train : k < train + valid ? SplitLabel.Valid : SplitLabel.Test;
            }
        }

        return labels;
    }
}
