// `data` suite: how long reading .inter files and loading datasets takes (median of 5) on ../shared/data, and how
// long the synthetic catalog takes to write (default shape; Electronics' shape with --electronics).
using System.Diagnostics;
using MultiRec.Data;

namespace MultiRec.Benchmarks;

internal static class DataSuite
{
    private const int Repeats = 5;

    /// <summary>Args: [--data-root DIR] [--electronics].</summary>
    public static int Run(string[] args)
    {
        var rootIndex = Array.IndexOf(args, "--data-root");
        var root = rootIndex >= 0 && rootIndex + 1 < args.Length ? args[rootIndex + 1] : BenchTiming.SharedData();
        Console.WriteLine($"data suite: median of {Repeats} runs after one warm-up");
        if (root is null || !Directory.Exists(root))
        {
            Console.WriteLine("../shared/data not found (pass --data-root DIR); real-data loads skipped");
        }
        else
        {
            foreach (var name in new[] { "baby", "sports" })
            {
                LoadTimes(Path.Combine(root, name), name);
            }
        }

        SynthesisTime("default", new SyntheticCatalogOptions(), Repeats);
        if (args.Contains("--electronics"))
        {
            var electronics = new SyntheticCatalogOptions
            {
                Name = "electronics",
                Users = 192_403,
                Items = 63_001,
                Interactions = 1_689_188,
                ImageDim = 4096,
                TextDim = 384,
            };
            SynthesisTime("electronics", electronics, 1);
        }

        return 0;
    }

    private static void LoadTimes(string folder, string name)
    {
        if (!Directory.Exists(folder))
        {
            Console.WriteLine($"{name}: not present, skipped");
            return;
        }

        var interFile = DatasetFiles.FindInterFile(folder);
        var rows = InterFile.Read(interFile).Count;
        var parse = BenchTiming.MedianMilliseconds(Repeats, () => InterFile.Read(interFile));
        var load = BenchTiming.MedianMilliseconds(Repeats, () => Dataset.Load(folder));
        Console.WriteLine($"{name,-8} {rows,9:N0} rows   InterFile.Read {parse,8:F1} ms   Dataset.Load {load,8:F1} ms");
    }

    private static void SynthesisTime(string label, SyntheticCatalogOptions options, int repeats)
    {
        var folder = Path.Combine(Path.GetTempPath(), "multirec-bench-synth-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var before = Process.GetCurrentProcess().PeakWorkingSet64;
            var ms = repeats > 1
                ? BenchTiming.MedianMilliseconds(repeats, () => SyntheticCatalog.Write(folder, options))
                : Time(() => SyntheticCatalog.Write(folder, options));
            var bytes = Directory.GetFiles(folder).Sum(f => new FileInfo(f).Length);
            var peak = Process.GetCurrentProcess().PeakWorkingSet64;
            Console.WriteLine(
                $"synth {label,-12} {options.Users:N0} users x {options.Items:N0} items, {options.Interactions:N0} interactions, " +
                $"image {options.ImageDim}, text {options.TextDim}: {ms / 1000:F2} s, {bytes / 1e6:F0} MB written, peak working set {Math.Max(before, peak) / 1e6:F0} MB");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalMilliseconds;
    }
}
