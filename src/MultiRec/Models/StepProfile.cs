// Accumulated wall time of the phases of a training step (propagation, projections, losses, backward, optimizer).
using System.Diagnostics;

namespace MultiRec.Models;

/// <summary>Phases of one optimizer step.</summary>
public enum StepPhase
{
    Propagation,
    Projections,
    Losses,
    Backward,
    Optimizer,
}

/// <summary>Sums of seconds per phase over the steps profiled.</summary>
public sealed class StepProfile
{
    private readonly double[] _seconds = new double[Enum.GetValues<StepPhase>().Length];

    /// <summary>Steps counted (incremented by the caller once per step).</summary>
    public int Steps { get; set; }

    /// <summary>Starts a lap clock.</summary>
    public long Start() => Stopwatch.GetTimestamp();

    /// <summary>Adds the time since <paramref name="clock"/> to <paramref name="phase"/> and restarts the clock.</summary>
    public void Lap(ref long? clock, StepPhase phase)
    {
        var now = Stopwatch.GetTimestamp();
        _seconds[(int)phase] += Stopwatch.GetElapsedTime(clock ?? now, now).TotalSeconds;
        clock = now;
    }

    /// <summary>Total seconds of a phase.</summary>
    public double Seconds(StepPhase phase) => _seconds[(int)phase];

    /// <summary>Mean milliseconds per step of a phase.</summary>
    public double MillisecondsPerStep(StepPhase phase) => Steps == 0 ? 0 : 1000 * _seconds[(int)phase] / Steps;

    /// <summary>Clears the sums.</summary>
    public void Reset()
    {
        Array.Clear(_seconds);
        Steps = 0;
    }
}
