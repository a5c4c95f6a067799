// `multirec compare`: the comparison table of several models on one dataset, with seeds and significance.
using System.CommandLine;
using System.Globalization;
using MultiRec.Models;
using MultiRec.Training;
using MultiRec.Training.Comparison;

namespace MultiRec.Cli.Commands;

/// <summary>The `compare` verb.</summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Dataset folder.", Required = true };
        var inter = InterOption.Create();
        var models = new Option<string>("--models") { Description = $"'all' or a comma-separated list of models ({string.Join(", ", ModelCatalog.Names)}).", DefaultValueFactory = _ => "all" };
        var grid = new Option<bool>("--grid") { Description = "Run each model's grid at the first seed and keep the winner on VALID Recall@20 (default: the default setting)." };
        var seeds = new Option<string>("--seeds") { Description = "Comma-separated seeds of the final runs.", DefaultValueFactory = _ => "999,1000,1001" };
        var config = new Option<string?>("--config") { Description = "YAML file applied to every run." };
        var set = new Option<string[]>("--set") { Description = "Override a key in every run, e.g. --set epochs=50." };
        var outDir = new Option<string?>("--out") { Description = "Comparison folder (default runs/compare-<dataset>); the same command again reuses its finished runs." };
        var quiet = new Option<bool>("--quiet") { Description = "No per-epoch lines, only the run lines and the table." };
        var efficiency = new Option<bool>("--efficiency") { Description = "Instead of training to convergence: `bench` every model on the same data and threads (efficiency.md/.csv/.json)." };
        var epochs = new Option<int>("--epochs") { Description = "With --efficiency: epochs timed per model.", DefaultValueFactory = _ => 3 };
        var threads = new Option<int>("--threads") { Description = "With --efficiency: kernel threads (0 = every core).", DefaultValueFactory = _ => 0 };
        var cmd = new Command("compare", "Train several models (default settings or their grids) at several seeds; write compare.md, compare.csv and compare.json with mean ± sd, cost and paired significance.")
        {
            data, inter, models, grid, seeds, config, set, outDir, quiet, efficiency, epochs, threads,
        };
        cmd.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var dataDir = parse.GetRequiredValue(data);
            var request = new ComparisonRequest
            {
                DataDir = dataDir,
                InterFile = parse.GetValue(inter),
                Models = ParseModels(parse.GetValue(models)!),
                Grid = parse.GetValue(grid),
                Seeds = ParseSeeds(parse.GetValue(seeds)!),
                ConfigFile = parse.GetValue(config),
                Set = parse.GetValue(set) ?? [],
                OutDir = parse.GetValue(outDir) ?? Path.Combine("runs", "compare-" + Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDir)))),
            };
            if (parse.GetValue(efficiency))
            {
                if (parse.GetValue(epochs) < 1 || parse.GetValue(threads) < 0)
                {
                    throw new UsageException("--epochs must be at least 1 and --threads at least 0");
                }

                var cost = EfficiencyTable.Measure(request, parse.GetValue(epochs), parse.GetValue(threads), output.WriteLine,
                    model => BenchProcess.Run(request, model, parse.GetValue(epochs), parse.GetValue(threads)));
                cost.Write(request.OutDir);
                output.WriteLine();
                output.Write(cost.Markdown());
                output.WriteLine($"tables: {Path.Combine(request.OutDir, "efficiency.md")} (.csv, .json)");
                return 0;
            }

            ITrainingObserver observer = parse.GetValue(quiet)
                ? SilentObserver.Instance
                : new ConsoleTrainingObserver(output, parse.InvocationConfiguration.Error, interactive: false);
            var runs = ComparisonRunner.Run(request, output.WriteLine, HoldAfterEpochObserver.Wrap(observer, parse.InvocationConfiguration.Error));
            var table = ComparisonTable.Build(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDir))), request.Grid, runs);
            table.Write(request.OutDir);
            output.WriteLine();
            output.Write(table.Markdown());
            output.WriteLine($"tables: {Path.Combine(request.OutDir, "compare.md")} (.csv, .json)");
            return 0;
        });
        return cmd;
    }

    private static List<string> ParseModels(string text) =>
        string.Equals(text.Trim(), "all", StringComparison.OrdinalIgnoreCase)
            ? []
            : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static List<int> ParseSeeds(string text)
    {
        var seeds = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seed))
            {
                throw new UsageException($"--seeds: '{part}' is not an integer (e.g. --seeds 999,1000,1001)");
            }

            seeds.Add(seed);
        }

        return seeds;
    }
}
