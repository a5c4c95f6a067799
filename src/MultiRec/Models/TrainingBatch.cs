// One training batch: (user, positive item) pairs cut from an epoch's order of the training rows, one sampled
// negative per row when the model asks for them, and the step's seed for the model's own random draws.
using MultiRec.Data;
using MultiRec.Models.Common;

namespace MultiRec.Models;

/// <summary>Reusable buffers for the rows of one batch.</summary>
internal sealed class TrainingBatch(int capacity)
{
    private readonly int[] _users = new int[capacity];
    private readonly int[] _items = new int[capacity];
    private readonly int[] _negatives = new int[capacity];

    /// <summary>Number of batches an epoch of <paramref name="rows"/> training rows is cut into.</summary>
    public static int Count(int rows, int batchSize) => (rows + batchSize - 1) / batchSize;

    /// <summary>Rows in the batch last filled.</summary>
    public int Length { get; private set; }

    /// <summary>The configured batch size: the most rows a batch holds (the last batch of an epoch may hold fewer;
    /// LATTICE divides its regulariser by this, not by <see cref="Length"/>).</summary>
    public int Capacity => _users.Length;

    /// <summary>Whether <see cref="Negatives"/> holds one sampled item per row.</summary>
    public bool HasNegatives { get; private set; }

    /// <summary>Seed of this optimizer step (derived from the run seed and the global step): the source of every
    /// random draw a model makes during the step (dropout masks, edge drops).</summary>
    public ulong StepSeed { get; private set; }

    public ReadOnlySpan<int> Users => _users.AsSpan(0, Length);

    /// <summary>The positive items.</summary>
    public ReadOnlySpan<int> Items => _items.AsSpan(0, Length);

    /// <summary>One negative per row (empty when the model asked for none).</summary>
    public ReadOnlySpan<int> Negatives => HasNegatives ? _negatives.AsSpan(0, Length) : [];

    /// <summary>Users, positives and negatives as arrays, for the models trained on (user, positive, negative) triples;
    /// <paramref name="model"/> names the model in the error when the batch is empty or has no negative per row.</summary>
    public (int[] Users, int[] Positives, int[] Negatives) Triples(string model)
    {
        if (!HasNegatives || Length == 0)
        {
            throw new ArgumentException($"{model} needs a non-empty batch with one negative per row");
        }

        return (Users.ToArray(), Items.ToArray(), Negatives.ToArray());
    }

    /// <summary>A batch of given rows (tests, fixture replays).</summary>
    public static TrainingBatch Of(int[] users, int[] items, int[]? negatives = null, ulong stepSeed = 0)
    {
        if (users.Length != items.Length || (negatives is not null && negatives.Length != users.Length))
        {
            throw new ArgumentException("users, items and negatives differ in length");
        }

        var batch = new TrainingBatch(users.Length) { Length = users.Length, HasNegatives = negatives is not null, StepSeed = stepSeed };
        users.CopyTo(batch._users, 0);
        items.CopyTo(batch._items, 0);
        negatives?.CopyTo(batch._negatives, 0);
        return batch;
    }

    /// <summary>A batch of given rows within a configured batch size of <paramref name="capacity"/> rows (fixture
    /// replays of a short last batch).</summary>
    public static TrainingBatch WithCapacity(int capacity, int[] users, int[] items, int[]? negatives, ulong stepSeed = 0)
    {
        if (capacity < users.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), $"capacity {capacity} is below the batch's {users.Length} rows");
        }

        var rows = Of(users, items, negatives, stepSeed);
        var batch = new TrainingBatch(capacity) { Length = rows.Length, HasNegatives = rows.HasNegatives, StepSeed = stepSeed };
        users.CopyTo(batch._users, 0);
        items.CopyTo(batch._items, 0);
        negatives?.CopyTo(batch._negatives, 0);
        return batch;
    }

    /// <summary>Fills batch <paramref name="index"/>: training rows order[index·capacity ..] of the dataset, with
    /// negatives drawn by <paramref name="sampler"/> (when given) from the step seed.</summary>
    public void Fill(Dataset data, int[] order, int index, ulong stepSeed, NegativeSampler? sampler)
    {
        var start = index * _users.Length;
        Length = Math.Min(_users.Length, order.Length - start);
        StepSeed = stepSeed;
        for (var j = 0; j < Length; j++)
        {
            _users[j] = data.TrainUsers[order[start + j]];
            _items[j] = data.TrainItems[order[start + j]];
        }

        HasNegatives = sampler is not null;
        sampler?.Sample(Users, _negatives.AsSpan(0, Length), stepSeed);
    }
}
