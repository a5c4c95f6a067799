// `multirec grid`: one training run per combination of the list-valued keys; the winner is chosen on valid.
using System.CommandLine;
using MultiRec.Models;
using MultiRec.Training;

namespace MultiRec.Cli.Commands;

/// <summary>The `grid` verb.</summary>
public static class GridCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model to train: " + ModelCatalog.Listing + ".", DefaultValueFactory = _ => ModelCatalog.Default };
        var data = new Option<string>("--data") { Description = "Dataset folder.", Required = true };
        var grid = new Option<string?>("--grid") { Description = "YAML file of axes (default: the model's grid, e.g. n_layers [1,2] x dropout [0.3,0.5] x reg_weight [0.1,0.01])." };
        var config = new Option<string?>("--config") { Description = "YAML file applied after the grid." };
        var set = new Option<string[]>("--set") { Description = "Override or add an axis: --set dropout=[0.1,0.2]." };
        var outDir = new Option<string?>("--out") { Description = "Folder for the runs, grid.json and grid.md (default runs/grid-<model>-<dataset>-<timestamp>)." };
        var quiet = new Option<bool>("--quiet") { Description = "Print only the final table." };
        var inter = InterOption.Create();
        var force = new Option<bool>("--force") { Description = "Write into a non-empty --out folder (runs of the same name are replaced)." };
        var cmd = new Command("grid", "Grid search: train every combination, pick the winner on the VALID metric, tabulate valid and test.")
        {
            model, data, inter, grid, config, set, outDir, quiet, force,
        };
        cmd.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var request = new TrainRequest
            {
                Model = parse.GetValue(model)!,
                DataDir = parse.GetValue(data),
                InterFile = parse.GetValue(inter),
                ConfigFile = parse.GetValue(config),
                Set = parse.GetValue(set) ?? [],
                Force = parse.GetValue(force),
            };
            var folder = parse.GetValue(outDir)
                ?? Path.Combine("runs", $"grid-{request.Model}-{Path.GetFileName(Path.GetFullPath(request.DataDir!).TrimEnd('/'))}-{DateTime.Now:yyyyMMdd-HHmmss}");
            var isQuiet = parse.GetValue(quiet);
            ITrainingObserver observer = isQuiet ? SilentObserver.Instance : new ConsoleTrainingObserver(output, parse.InvocationConfiguration.Error, interactive: false);
            var (points, winner) = GridSearch.Run(request, parse.GetValue(grid), folder, observer, isQuiet ? null : output.WriteLine);
            output.WriteLine();
            output.Write(File.ReadAllText(Path.Combine(folder, "grid.md")));
            output.WriteLine($"winner: {points[winner].Run}");
            return 0;
        });
        return cmd;
    }
}
