// Shared helpers for benchmark suites: median wall time of repeated runs, and locating ../shared/data.
using System.Diagnostics;

namespace MultiRec.Benchmarks;

internal static class BenchTiming
{
    /// <summary>Runs <paramref name="action"/> once to warm up, then <paramref name="repeats"/> times; returns the
    /// median wall time in milliseconds.</summary>
    public static double MedianMilliseconds(int repeats, Action action)
    {
        action();
        var times = new double[repeats];
        for (var r = 0; r < repeats; r++)
        {
            var watch = Stopwatch.StartNew();
            action();
            times[r] = watch.Elapsed.TotalMilliseconds;
        }

        Array.Sort(times);
        return times[repeats / 2];
    }

    /// <summary>../shared/data beside the repository root (the folder holding MultiRec.slnx), or null.</summary>
    public static string? SharedData()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MultiRec.slnx")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            return null;
        }

        var data = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
        return Directory.Exists(data) ? data : null;
    }
}
