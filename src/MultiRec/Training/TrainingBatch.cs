// One batch of positive training pairs, cut from an epoch's order of the dataset's training rows.
using MultiRec.Data;

namespace MultiRec.Training;

/// <summary>Reusable buffers for the (user, item) pairs of one batch.</summary>
public sealed class TrainingBatch(int capacity)
{
    private readonly int[] _users = new int[capacity];
    private readonly int[] _items = new int[capacity];

    /// <summary>Number of batches an epoch of <paramref name="rows"/> training rows is cut into.</summary>
    public static int Count(int rows, int batchSize) => (rows + batchSize - 1) / batchSize;

    /// <summary>Pairs in the batch last filled.</summary>
    public int Length { get; private set; }

    public ReadOnlySpan<int> Users => _users.AsSpan(0, Length);

    public ReadOnlySpan<int> Items => _items.AsSpan(0, Length);

    /// <summary>Fills batch <paramref name="index"/>: training rows order[index·capacity ..] of the dataset.</summary>
    public void Fill(Dataset data, int[] order, int index)
    {
        var start = index * _users.Length;
        Length = Math.Min(_users.Length, order.Length - start);
        for (var j = 0; j < Length; j++)
        {
            _users[j] = data.TrainUsers[order[start + j]];
            _items[j] = data.TrainItems[order[start + j]];
        }
    }
}
