// Bench suites `synth` and `train`: the same work as `multirec data synth` and `multirec bench`, from the
// benchmark program (it depends on the library alone, so it can be published self-contained and run elsewhere).
using System.Globalization;
using System.Text.Json;
using MultiRec.Data;
using MultiRec.Training;

namespace MultiRec.Benchmarks;

internal static class TrainSuite
{
    /// <summary>synth OUT USERS ITEMS INTERACTIONS IMAGE_DIM TEXT_DIM: writes a synthetic catalog.</summary>
    public static int Synth(string[] args)
    {
        if (args.Length != 6)
        {
            Console.Error.WriteLine("usage: synth OUT USERS ITEMS INTERACTIONS IMAGE_DIM TEXT_DIM");
            return 2;
        }

        int Arg(int i) => int.Parse(args[i], CultureInfo.InvariantCulture);
        var summary = SyntheticCatalog.Write(args[0], new SyntheticCatalogOptions
        {
            Users = Arg(1),
            Items = Arg(2),
            Interactions = Arg(3),
            ImageDim = Arg(4),
            TextDim = Arg(5),
        });
        Console.WriteLine($"wrote {summary.InterFile}: {summary.Users} users, {summary.Items} items, {summary.Interactions} interactions");
        return 0;
    }

    /// <summary>train --data DIR [--epochs N] [--threads T] [--set k=v ...]: prints the BenchReport as JSON.</summary>
    public static int Train(string[] args)
    {
        string? data = null;
        int epochs = 3, threads = 0;
        var set = new List<string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--data":
                    data = args[i + 1];
                    break;
                case "--epochs":
                    epochs = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--threads":
                    threads = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--set":
                    set.Add(args[i + 1]);
                    break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}");
                    return 2;
            }
        }

        if (data is null)
        {
            Console.Error.WriteLine("usage: train --data DIR [--epochs N] [--threads T] [--set k=v]");
            return 2;
        }

        var report = TrainingBenchmark.Run(data, epochs, threads, set, Console.Error.WriteLine);
        Console.WriteLine(JsonSerializer.Serialize(report));
        return 0;
    }
}
