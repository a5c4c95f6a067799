// `data` suite: how long reading .inter files and loading datasets takes (median of 5), on ../shared/data.
using MultiRec.Data;

namespace MultiRec.Benchmarks;

internal static class DataSuite
{
    private const int Repeats = 5;

    public static int Run(string[] args)
    {
        var root = args.Length > 0 ? args[0] : BenchTiming.SharedData();
        if (root is null || !Directory.Exists(root))
        {
            Console.WriteLine("../shared/data not found; pass the data folder as the first argument");
            return 1;
        }

        Console.WriteLine($"data suite: median of {Repeats} runs after one warm-up");
        foreach (var name in new[] { "baby", "sports" })
        {
            var folder = Path.Combine(root, name);
            if (!Directory.Exists(folder))
            {
                Console.WriteLine($"{name}: not present, skipped");
                continue;
            }

            var interFile = DatasetFiles.FindInterFile(folder);
            var rows = InterFile.Read(interFile).Count;
            var parse = BenchTiming.MedianMilliseconds(Repeats, () => InterFile.Read(interFile));
            var load = BenchTiming.MedianMilliseconds(Repeats, () => Dataset.Load(folder));
            Console.WriteLine($"{name,-8} {rows,9:N0} rows   InterFile.Read {parse,8:F1} ms   Dataset.Load {load,8:F1} ms");
        }

        return 0;
    }
}
