// `multirec bench`: seconds per training epoch and per evaluation, peak memory and a per-phase step profile.
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MultiRec.Models;
using MultiRec.Training;

namespace MultiRec.Cli.Commands;

/// <summary>The `bench` verb.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Dataset folder.", Required = true };
        var model = new Option<string>("--model") { Description = "Model to time: " + ModelCatalog.Listing + ".", DefaultValueFactory = _ => ModelCatalog.Default };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs to time (each followed by a valid + test evaluation).", DefaultValueFactory = _ => 3 };
        var threads = new Option<int>("--threads") { Description = "Kernel threads (0 = every core).", DefaultValueFactory = _ => 0 };
        var set = new Option<string[]>("--set") { Description = "Override a config key, e.g. --set n_layers=2." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var inter = InterOption.Create();
        var cmd = new Command("bench", "Time a model's training epochs and evaluations on a dataset; print the median seconds, peak RSS and a step breakdown.")
        {
            data, model, inter, epochs, threads, set, json,
        };
        cmd.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var asJson = parse.GetValue(json);
            var report = TrainingBenchmark.Run(parse.GetValue(data)!, parse.GetValue(epochs), parse.GetValue(threads), parse.GetValue(set) ?? [],
                asJson ? null : output.WriteLine, parse.GetValue(inter), ModelCatalog.Canonical(parse.GetValue(model)!));
            if (asJson)
            {
                output.WriteLine(JsonSerializer.Serialize(report));
                return 0;
            }

            var inv = CultureInfo.InvariantCulture;
            output.WriteLine(string.Create(inv, $"dataset {report.Dataset}: {report.Users} users, {report.Items} items, {report.TrainRows} training pairs, features {string.Join(", ", report.Features.Select(f => $"{f.Key} {f.Value[0]}x{f.Value[1]}"))}"));
            output.WriteLine(string.Create(inv, $"parameters {report.Parameters:N0}; threads {report.Threads}; {report.StepsPerEpoch} steps per epoch; load {report.LoadSeconds:F2} s"));
            output.WriteLine(string.Create(inv, $"training epoch  {report.EpochSecondsMedian:F3} s ({(report.Epochs > 1 ? $"median of epochs 2..{report.Epochs}" : "one epoch, JIT warm-up included")})"));
            output.WriteLine(string.Create(inv, $"evaluation      {report.EvalSecondsMedian:F3} s (valid + test)"));
            output.WriteLine(string.Create(inv, $"peak RSS        {report.PeakRssMiB:F0} MiB"));
            output.WriteLine(string.Create(inv, $"GC pauses       {report.GcPauseSeconds:F3} s in all ({report.Epochs} epochs and evaluations)"));
            output.WriteLine("step breakdown (ms per step): " + string.Join(", ", report.StepMilliseconds.Select(kv => string.Create(inv, $"{kv.Key} {kv.Value:F1}"))));
            output.WriteLine("step allocations (managed KiB per step): " + string.Join(", ", report.StepAllocatedKib.Select(kv => string.Create(inv, $"{kv.Key} {kv.Value:F1}"))));
            return 0;
        });
        return cmd;
    }
}
