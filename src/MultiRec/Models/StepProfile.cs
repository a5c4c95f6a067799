// Accumulated wall time and managed allocations of the named phases of a training step ("propagation", "losses",
// "backward", "optimizer", ...): a model laps the phases it has, the training step laps the optimizer.
using System.Diagnostics;

namespace MultiRec.Models;

/// <summary>Sums of seconds and of managed bytes allocated per named phase over the steps profiled (allocations are
/// what the garbage collector must later reclaim: in steady state a step should allocate next to nothing). Phases
/// are kept in the order they were first lapped.</summary>
internal sealed class StepProfile
{
    /// <summary>The phase the training step laps: zeroing gradients, the Adam step, the after-step hook and the
    /// trainer's per-step young-generation collection.</summary>
    public const string Optimizer = "optimizer";

    private readonly List<string> _phases = [];
    private readonly Dictionary<string, (double Seconds, long Allocated)> _sums = [];
    private long _allocatedMark;

    /// <summary>Steps counted (incremented by the caller once per step).</summary>
    public int Steps { get; set; }

    /// <summary>Phase names in the order first lapped.</summary>
    public IReadOnlyList<string> Phases => _phases;

    /// <summary>Starts a lap clock.</summary>
    public long Start()
    {
        _allocatedMark = GC.GetTotalAllocatedBytes(precise: true);
        return Stopwatch.GetTimestamp();
    }

    /// <summary>Adds the time since <paramref name="clock"/> to <paramref name="phase"/> and restarts the clock.</summary>
    public void Lap(ref long? clock, string phase)
    {
        var now = Stopwatch.GetTimestamp();
        var seconds = Stopwatch.GetElapsedTime(clock ?? now, now).TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        if (!_sums.TryGetValue(phase, out var sum))
        {
            _phases.Add(phase);
        }

        _sums[phase] = (sum.Seconds + seconds, sum.Allocated + (allocated - _allocatedMark));
        _allocatedMark = allocated;
        clock = Stopwatch.GetTimestamp();
    }

    /// <summary>Total seconds of a phase (0 for a phase never lapped).</summary>
    public double Seconds(string phase) => _sums.GetValueOrDefault(phase).Seconds;

    /// <summary>Mean milliseconds per step of a phase.</summary>
    public double MillisecondsPerStep(string phase) => Steps == 0 ? 0 : 1000 * Seconds(phase) / Steps;

    /// <summary>Mean managed KiB allocated per step in a phase (all threads).</summary>
    public double KibibytesPerStep(string phase) => Steps == 0 ? 0 : _sums.GetValueOrDefault(phase).Allocated / 1024.0 / Steps;

    /// <summary>Clears the sums (the phase order is kept).</summary>
    public void Reset()
    {
        foreach (var phase in _phases)
        {
            _sums[phase] = default;
        }

        Steps = 0;
    }
}
