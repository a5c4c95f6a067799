// One sampled negative per training row, as the references draw them (baselines-reference §2.2).
using MultiRec.Data;
using MultiRec.Engine;

namespace MultiRec.Models.Common;

/// <summary>Draws, for each row of a batch, one item uniformly from the items that occur in training, redrawn while
/// it is one of that user's training items. Rows are drawn in order from one generator seeded with the step seed, so
/// the result depends only on (seed, users), never on the thread count.</summary>
internal sealed class NegativeSampler
{
    private readonly UserItemCsr _train;
    private readonly int[] _pool;   // distinct training items, ascending

    public NegativeSampler(UserItemCsr train)
    {
        _train = train;
        var seen = new bool[train.Items];
        foreach (var item in train.ItemIds)
        {
            seen[item] = true;
        }

        _pool = Enumerable.Range(0, train.Items).Where(i => seen[i]).ToArray();
    }

    /// <summary>The items a negative is drawn from (every item with a training row, ascending).</summary>
    public IReadOnlyList<int> Pool => _pool;

    /// <summary>Fills <paramref name="negatives"/>[k] for users[k]. Throws for a user who has every pool item.</summary>
    public void Sample(ReadOnlySpan<int> users, Span<int> negatives, ulong seed)
    {
        if (negatives.Length != users.Length)
        {
            throw new ArgumentException($"{users.Length} users but {negatives.Length} negative slots");
        }

        var rng = new Rng(seed);
        for (var k = 0; k < users.Length; k++)
        {
            var own = _train.ItemsOf(users[k]); // sorted ascending
            if (own.Length >= _pool.Length)
            {
                throw new InvalidOperationException($"user {users[k]} has every training item: no negative can be drawn");
            }

            int item;
            do
            {
                item = _pool[rng.NextInt(_pool.Length)];
            }
            while (own.BinarySearch(item) >= 0);

            negatives[k] = item;
        }
    }
}
