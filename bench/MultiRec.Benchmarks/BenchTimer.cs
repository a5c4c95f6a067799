// Timing helper for benchmarks: warm up, then repeat and report the median wall time.
using System.Diagnostics;

namespace MultiRec.Benchmarks;

/// <summary>Median-of-repeats timing; figures are printed, never asserted.</summary>
internal static class BenchTimer
{
    /// <summary>Median seconds per call over repeats filling roughly the given budget (at least 3, at most 200).</summary>
    public static double MedianSeconds(Action body, double budgetSeconds = 0.6)
    {
        body();
        var first = Stopwatch.StartNew();
        body();
        var once = Math.Max(first.Elapsed.TotalSeconds, 1e-6);
        var repeats = Math.Clamp((int)(budgetSeconds / once), 3, 200);
        var times = new double[repeats];
        for (var r = 0; r < repeats; r++)
        {
            var sw = Stopwatch.StartNew();
            body();
            times[r] = sw.Elapsed.TotalSeconds;
        }

        Array.Sort(times);
        return times[repeats / 2];
    }
}
