// Splits row ranges of large tensors across worker threads; small work runs inline.
namespace MultiRec.Engine.Autograd;

/// <summary>Parallel loop over row blocks honouring <see cref="ComputeSettings.Threads"/>.</summary>
internal static class RowParallel
{
    /// <summary>Below this many floats of work a loop runs on the calling thread.</summary>
    internal const int MinFloatsPerBlock = 1 << 15;

    /// <summary>Calls body(start, end) over disjoint row ranges covering [0, rows).</summary>
    public static void For(int rows, int floatsPerRow, Action<int, int> body)
    {
        var threads = ComputeSettings.Threads;
        long work = (long)rows * Math.Max(floatsPerRow, 1);
        if (threads <= 1 || rows < 2 || work < 2L * MinFloatsPerBlock)
        {
            body(0, rows);
            return;
        }

        var blocks = (int)Math.Min(Math.Min(work / MinFloatsPerBlock, rows), threads * 4L);
        Parallel.For(0, blocks, ComputeSettings.ParallelOptions, block =>
        {
            var start = (int)((long)rows * block / blocks);
            var end = (int)((long)rows * (block + 1) / blocks);
            body(start, end);
        });
    }
}
