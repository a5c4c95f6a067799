// Timing helpers for benchmarks: warm up, repeat, report the fastest run (robust on a shared, noisy machine).
using System.Diagnostics;

namespace MultiRec.Benchmarks;

/// <summary>Best-of-repeats timing; figures are printed, never asserted. On a machine shared with other work the
/// fastest run is the least disturbed one, so it is the figure that compares fairly.</summary>
internal static class BenchTimer
{
    /// <summary>Fastest seconds per call over repeats filling roughly the given budget (at least 3, at most 200).</summary>
    public static double BestSeconds(Action body, double budgetSeconds = 0.6)
    {
        var once = Time(body);
        var repeats = Math.Clamp((int)(budgetSeconds / Math.Max(once, 1e-6)), 3, 200);
        var best = double.MaxValue;
        for (var r = 0; r < repeats; r++)
        {
            best = Math.Min(best, Time(body));
        }

        return best;
    }

    /// <summary>Best-of times of two alternatives measured in alternating rounds, so both see the same background load.</summary>
    public static (double First, double Second) BestSecondsAlternating(Action first, Action second, int rounds = 5, double budgetSeconds = 1.0)
    {
        double bestFirst = double.MaxValue, bestSecond = double.MaxValue;
        for (var r = 0; r < rounds; r++)
        {
            bestFirst = Math.Min(bestFirst, BestSeconds(first, budgetSeconds / (2 * rounds)));
            bestSecond = Math.Min(bestSecond, BestSeconds(second, budgetSeconds / (2 * rounds)));
        }

        return (bestFirst, bestSecond);
    }

    private static double Time(Action body)
    {
        var sw = Stopwatch.StartNew();
        body();
        return sw.Elapsed.TotalSeconds;
    }
}
