// `multirec quickstart`: the embedded default end to end — synthesize a catalog, train BM3 with early stopping,
// print the metrics table and the top-10 of three users.
using System.CommandLine;
using System.Globalization;
using MultiRec.Data;
using MultiRec.Evaluation;
using MultiRec.Models;
using MultiRec.Training;

namespace MultiRec.Cli.Commands;

/// <summary>The `quickstart` verb (the README's main command).</summary>
public static class QuickstartCommand
{
    public static Command Create()
    {
        var outDir = new Option<string?>("--out") { Description = "Folder for the catalog (data/) and the run (run/); default runs/quickstart-<timestamp>." };
        var quiet = new Option<bool>("--quiet") { Description = "No per-epoch lines." };
        var set = new Option<string[]>("--set") { Description = "Override a training key, e.g. --set epochs=5." };
        var force = new Option<bool>("--force") { Description = "Write into an --out folder that already holds a run." };
        var cmd = new Command("quickstart", "Synthesize the default catalog, train BM3 with early stopping, print metrics and top-10 for three users.")
        {
            outDir, quiet, set, force,
        };
        cmd.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var root = parse.GetValue(outDir) ?? Path.Combine("runs", "quickstart-" + DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
            var dataDir = Path.Combine(root, "data");
            new RunFolder(Path.Combine(root, "run")).CheckWritable(parse.GetValue(force));
            var summary = SyntheticCatalog.Write(dataDir, new SyntheticCatalogOptions());
            output.WriteLine($"1/3 synthesized catalog in {dataDir}: {summary.Users} users, {summary.Items} items, {summary.Interactions} interactions (image and text features)");
            output.WriteLine("2/3 training BM3 (early stopping on valid recall@20)");
            var outcome = TrainCommand.Train(
                new TrainRequest { Model = ModelCatalog.Default, DataDir = dataDir, OutDir = Path.Combine(root, "run"), Set = parse.GetValue(set) ?? [], Force = parse.GetValue(force) },
                parse.GetValue(quiet),
                output,
                parse.InvocationConfiguration.Error);
            var r = outcome.Result;
            output.WriteLine();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"best epoch {r.BestEpoch} of {r.EpochsRun} ({r.StoppedBy}); {r.SecondsTotal:F1} s, {r.SecondsPerEpoch:F2} s per epoch, {r.SecondsPerEvaluation:F2} s per evaluation, {r.Threads} threads"));
            output.Write(RunReport.MetricsTable(r, outcome.Config.Bind<TrainingOptions>().Topk));
            output.WriteLine();
            output.WriteLine("3/3 top-10 for three users (training items excluded; * = a held-out test item)");
            PrintTopTen(output, outcome.Run, outcome.Data);
            output.WriteLine();
            output.WriteLine($"run folder: {outcome.Run.Path}");
            return 0;
        });
        return cmd;
    }

    private static void PrintTopTen(TextWriter output, RunFolder run, Dataset data)
    {
        const int k = 10;
        var users = RunEvaluation.LoadEmbeddings(run.UserEmbeddings, data.Users);
        var items = RunEvaluation.LoadEmbeddings(run.ItemEmbeddings, data.Items);
        int[] chosen = [.. data.Test.NonEmptyUsers().Take(3)];
        var top = new int[chosen.Length * k];
        var scores = new float[chosen.Length * k];
        TopKRanker.Rank(users, items, chosen, k, data.Train, top, scores);
        for (var n = 0; n < chosen.Length; n++)
        {
            var u = chosen[n];
            var test = data.Test.ItemsOf(u).ToArray();
            var list = Enumerable.Range(0, k)
                .Where(j => top[(n * k) + j] >= 0)
                .Select(j => top[(n * k) + j])
                .Select(i => test.Contains(i) ? $"{i}*" : i.ToString(CultureInfo.InvariantCulture));
            output.WriteLine($"  user {u} (test items: {string.Join(" ", test)}): {string.Join(" ", list)}");
        }
    }
}
