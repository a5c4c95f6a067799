// `multirec train`: trains a model on a dataset folder and writes a run folder.
using System.CommandLine;
using MultiRec.Models;
using MultiRec.Training;

namespace MultiRec.Cli.Commands;

/// <summary>The `train` verb.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model to train: " + ModelCatalog.Listing + ".", DefaultValueFactory = _ => ModelCatalog.Default };
        var data = new Option<string?>("--data") { Description = "Dataset folder (<name>.inter, optional image_feat.npy / text_feat.npy)." };
        var config = new Option<string?>("--config") { Description = "YAML file applied after the default, dataset and model layers." };
        var set = new Option<string[]>("--set") { Description = "Override a key: --set n_layers=2 (repeatable; applied last).", AllowMultipleArgumentsPerToken = false };
        var outDir = new Option<string?>("--out") { Description = "Run folder (default runs/<model>-<dataset>-<timestamp>)." };
        var init = new Option<string?>("--init") { Description = "Start from the weights of a safetensors file (reference state_dict names)." };
        var resume = new Option<string?>("--resume") { Description = "Continue the run in this folder from its last.safetensors." };
        var quiet = new Option<bool>("--quiet") { Description = "Print only the final metrics table." };
        var inter = InterOption.Create();
        var force = new Option<bool>("--force") { Description = "Write into a non-empty --out folder (its files of the same name are replaced)." };
        var cmd = new Command("train", "Train a model and write a run folder (config, metrics, checkpoints, embeddings, report).")
        {
            model, data, inter, config, set, outDir, init, resume, quiet, force,
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
                OutDir = parse.GetValue(outDir),
                InitFile = parse.GetValue(init),
                ResumeRun = parse.GetValue(resume),
                Force = parse.GetValue(force),
            };
            if (request.DataDir is null && request.ResumeRun is null)
            {
                throw new UsageException("--data DIR is required (or --resume RUN)");
            }

            var outcome = Train(request, parse.GetValue(quiet), output, parse.InvocationConfiguration.Error);
            output.WriteLine();
            output.WriteLine(RunReport.MetricsTable(outcome.Result, outcome.Config.Bind<TrainingOptions>().Topk));
            output.WriteLine($"run folder: {outcome.Run.Path}");
            return 0;
        });
        return cmd;
    }

    /// <summary>Trains with console progress through the library API's training entry point (shared by train and
    /// quickstart).</summary>
    internal static TrainOutcome Train(TrainRequest request, bool quiet, TextWriter output, TextWriter error)
    {
        ITrainingObserver observer = quiet
            ? SilentObserver.Instance
            : new ConsoleTrainingObserver(output, error, interactive: !Console.IsErrorRedirected && ReferenceEquals(error, Console.Error));
        return RecommenderTrainer.Run(request, HoldAfterEpochObserver.Wrap(observer, error));
    }
}
