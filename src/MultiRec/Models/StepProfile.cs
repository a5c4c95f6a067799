// Accumulated wall time and managed allocations of the phases of a training step (propagation, projections, losses, backward, optimizer).
using System.Diagnostics;

namespace MultiRec.Models;

/// <summary>Phases of one optimizer step.</summary>
public enum StepPhase
{
    Propagation,
    Projections,
    Losses,
    Backward,

    /// <summary>Zeroing gradients, the Adam step and the trainer's per-step young-generation collection.</summary>
    Optimizer,
}

/// <summary>Sums of seconds and of managed bytes allocated per phase over the steps profiled (allocations are what
/// the garbage collector must later reclaim: in steady state a step should allocate next to nothing).</summary>
public sealed class StepProfile
{
    private readonly double[] _seconds = new double[Enum.GetValues<StepPhase>().Length];
    private readonly long[] _allocated = new long[Enum.GetValues<StepPhase>().Length];
    private long _allocatedMark;

    /// <summary>Steps counted (incremented by the caller once per step).</summary>
    public int Steps { get; set; }

    /// <summary>Starts a lap clock.</summary>
    public long Start()
    {
        _allocatedMark = GC.GetTotalAllocatedBytes(precise: true);
        return Stopwatch.GetTimestamp();
    }

    /// <summary>Adds the time since <paramref name="clock"/> to <paramref name="phase"/> and restarts the clock.</summary>
    public void Lap(ref long? clock, StepPhase phase)
    {
        var now = Stopwatch.GetTimestamp();
        _seconds[(int)phase] += Stopwatch.GetElapsedTime(clock ?? now, now).TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        _allocated[(int)phase] += allocated - _allocatedMark;
        _allocatedMark = allocated;
        clock = Stopwatch.GetTimestamp();
    }

    /// <summary>Total seconds of a phase.</summary>
    public double Seconds(StepPhase phase) => _seconds[(int)phase];

    /// <summary>Mean milliseconds per step of a phase.</summary>
    public double MillisecondsPerStep(StepPhase phase) => Steps == 0 ? 0 : 1000 * _seconds[(int)phase] / Steps;

    /// <summary>Mean managed KiB allocated per step in a phase (all threads).</summary>
    public double KibibytesPerStep(StepPhase phase) => Steps == 0 ? 0 : _allocated[(int)phase] / 1024.0 / Steps;

    /// <summary>Clears the sums.</summary>
    public void Reset()
    {
        Array.Clear(_seconds);
        Array.Clear(_allocated);
        Steps = 0;
    }
}
