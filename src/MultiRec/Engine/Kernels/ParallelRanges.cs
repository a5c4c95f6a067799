// Splits index ranges into blocks for Parallel.For, running small work inline on the calling thread.
namespace MultiRec.Engine;

/// <summary>Row-block parallel loops honouring <see cref="ComputeSettings.Threads"/>. Block boundaries depend only
/// on the work size and the block count, never on scheduling, so results are deterministic.</summary>
internal static class ParallelRanges
{
    /// <summary>Below this many units of work (roughly floats touched) a loop runs inline.</summary>
    public const long InlineWork = 1L << 16;

    /// <summary>Calls body(start, end) over disjoint ranges covering [0, count); costPerItem estimates floats per item.</summary>
    public static void For(int count, long costPerItem, Action<int, int> body)
    {
        var blocks = BlockCount(count, (long)count * Math.Max(costPerItem, 1));
        if (blocks <= 1)
        {
            body(0, count);
            return;
        }

        Parallel.For(0, blocks, ComputeSettings.ParallelOptions, block =>
        {
            var start = (int)((long)count * block / blocks);
            var end = (int)((long)count * (block + 1) / blocks);
            body(start, end);
        });
    }

    /// <summary>How many blocks to split work of this size into: 1 when it is small or threads == 1,
    /// otherwise up to 4 per thread so uneven blocks even out.</summary>
    public static int BlockCount(int count, long work)
    {
        var threads = ComputeSettings.Threads;
        if (threads <= 1 || count < 2 || work < 2 * InlineWork)
        {
            return 1;
        }

        return (int)Math.Min(Math.Min(work / InlineWork, count), threads * 4L);
    }
}
