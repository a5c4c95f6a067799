// Process-wide compute settings: the number of worker threads the kernels may use.
namespace MultiRec.Engine;

/// <summary>Thread count for parallel kernels. Defaults to the machine's processor count.</summary>
public static class ComputeSettings
{
    private static int _threads = Environment.ProcessorCount;

    /// <summary>Maximum degree of parallelism for kernels (>= 1).</summary>
    public static int Threads
    {
        get => _threads;
        set => _threads = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), "threads must be >= 1");
    }

    /// <summary>Options for Parallel.For honouring <see cref="Threads"/>.</summary>
    public static ParallelOptions ParallelOptions => new() { MaxDegreeOfParallelism = _threads };
}
