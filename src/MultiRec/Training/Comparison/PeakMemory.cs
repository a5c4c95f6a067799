// Peak resident memory of one piece of work inside a long process (Linux: reset VmHWM, run, read VmHWM).
namespace MultiRec.Training.Comparison;

/// <summary>Per-run peak RSS. Linux keeps one high-water mark per process; writing "5" to /proc/self/clear_refs
/// resets it to the current RSS, so the mark read after a run is that run's peak (including what the process held
/// before it, e.g. the runtime). Where the reset is not possible the figure is the process's peak so far.</summary>
internal static class PeakMemory
{
    /// <summary>Resets the high-water mark; false where the system does not allow it.</summary>
    public static bool Reset()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The high-water mark in MiB (0 where /proc is not available).</summary>
    public static double PeakMiB() => TrainingBenchmark.PeakRssMiB();
}
