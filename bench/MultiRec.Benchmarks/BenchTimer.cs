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

    /// <summary>Measure the calling thread's CPU time instead of wall time (Linux; meaningful for one thread only).
    /// On an oversubscribed machine this removes the time the thread spent descheduled.</summary>
    public static bool UseThreadCpuTime { get; set; }

    private static double Time(Action body)
    {
        if (UseThreadCpuTime)
        {
            var start = ThreadCpuSeconds();
            body();
            return ThreadCpuSeconds() - start;
        }

        var sw = Stopwatch.StartNew();
        body();
        return sw.Elapsed.TotalSeconds;
    }

    private static unsafe double ThreadCpuSeconds()
    {
        const int ClockThreadCpuTimeId = 3;
        var ts = stackalloc long[2];
        if (ClockGetTime(ClockThreadCpuTimeId, ts) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
        }

        return ts[0] + (ts[1] * 1e-9);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern unsafe int ClockGetTime(int clock, long* timespec);
}
