// Process-wide compute settings: the number of worker threads the kernels may use.
namespace MultiRec.Engine;

/// <summary>Thread count for parallel kernels. Defaults to the machine's processor count.</summary>
internal static class ComputeSettings
{
    private static int _threads = Environment.ProcessorCount;

    /// <summary>Maximum degree of parallelism for kernels (>= 1).</summary>
    public static int Threads
    {
        get => _threads;
        set => _threads = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), "threads must be >= 1");
    }

    /// <summary>Sets <see cref="Threads"/> until the returned scope is disposed, then restores the previous value, so
    /// a library call (a training, an evaluation) leaves the process-wide setting as it found it.</summary>
    /// <param name="threads">Threads to use; 0 or less means every processor.</param>
    public static IDisposable Use(int threads)
    {
        var previous = _threads;
        Threads = threads > 0 ? threads : Environment.ProcessorCount;
        return new Restore(previous);
    }

    /// <summary>Options for Parallel.For honouring <see cref="Threads"/>.</summary>
    public static ParallelOptions ParallelOptions => new() { MaxDegreeOfParallelism = _threads };

    private sealed class Restore(int previous) : IDisposable
    {
        public void Dispose() => _threads = previous;
    }
}
