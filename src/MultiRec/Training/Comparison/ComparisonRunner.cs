// Runs a comparison: per model the default setting (or its grid, winner on valid), then every seed; reuses
// finished runs and resumes an interrupted one, so a killed comparison continues where it stopped.
using System.Diagnostics;
using System.Globalization;
using MultiRec.Config;
using MultiRec.Data;
using MultiRec.Models;

namespace MultiRec.Training.Comparison;

/// <summary>The runs of one model that the table reads: the chosen setting at every seed, and all its runs' cost.</summary>
internal sealed record ModelRuns(string Model, IReadOnlyDictionary<string, string> Setting, IReadOnlyList<ComparisonRun> Final, IReadOnlyList<ComparisonRun> All);

/// <summary>Plans, runs and collects the runs of a <see cref="ComparisonRequest"/>.</summary>
internal static class ComparisonRunner
{
    private const string Metric = "recall@20";

    /// <summary>Runs (or reuses) every run and returns them per model, in the request's model order.</summary>
    /// <param name="request">What to compare.</param>
    /// <param name="log">Progress lines ("run i of N", reuse, ETA); null for none.</param>
    /// <param name="observer">Receives each training's progress.</param>
    public static IReadOnlyList<ModelRuns> Run(ComparisonRequest request, Action<string>? log = null, ITrainingObserver? observer = null)
    {
        if (request.Seeds.Count == 0 || request.Seeds.Distinct().Count() != request.Seeds.Count)
        {
            throw new ConfigException("--seeds", "give one or more distinct seeds, e.g. --seeds 999,1000,1001");
        }

        var models = (request.Models.Count == 0 ? ModelCatalog.Names : request.Models).Select(ModelCatalog.Canonical).Distinct().ToList();
        var trainRequest = new TrainRequest { DataDir = request.DataDir, InterFile = request.InterFile, ConfigFile = request.ConfigFile, Set = request.Set, Force = true };
        var data = Dataset.Load(request.DataDir, trainRequest.LoadOptions with { LoadFeatures = false });

        // Resolve and validate every setting of every model before the first run.
        var plans = new List<(string Model, List<Dictionary<string, string>> Points, ResolvedConfig Config)>();
        foreach (var model in models)
        {
            var request1 = trainRequest with { Model = model };
            var grid = request.Grid ? DefaultConfigs.TryLoad($"grid/{model}.yaml") : null;
            var config = TrainingSession.ResolveConfig(request1, data, allowAxes: request.Grid, grid: grid);
            var points = request.Grid ? GridSearch.Combinations(config.GridAxes()) : [new Dictionary<string, string>(StringComparer.Ordinal)];
            foreach (var point in points)
            {
                foreach (var seed in request.Seeds)
                {
                    var resolved = ConfigChecks.Validate(WithSeed(config.With(point), seed));
                    var topk = resolved.Bind<TrainingOptions>().Topk;
                    if (!topk.Contains(10) || !topk.Contains(20))
                    {
                        throw new ConfigException("topk", $"the comparison table reports K = 10 and 20; topk [{string.Join(", ", topk)}] lacks one");
                    }
                }
            }

            plans.Add((model, points, config));
        }

        var total = plans.Sum(p => p.Points.Count + request.Seeds.Count - 1);
        var progress = new Progress(total, log);
        var result = new List<ModelRuns>();
        foreach (var (model, points, config) in plans)
        {
            var all = new List<ComparisonRun>();
            var atFirstSeed = points.Select(p => RunOne(request, trainRequest with { Model = model }, config, p, request.Seeds[0], progress, observer)).ToList();
            all.AddRange(atFirstSeed);
            var winner = points.Count == 1 ? 0 : GridSearch.Winner(
                atFirstSeed.Select(r => new GridPoint { Values = r.Record.Setting, Run = r.Folder, Result = r.Result }).ToList(),
                config.With(points[0]).Bind<TrainingOptions>().ValidMetric);
            if (points.Count > 1)
            {
                log?.Invoke($"{model}: grid winner on valid {Name(points[winner])} (run {atFirstSeed[winner].Folder})");
            }

            var final = new List<ComparisonRun> { atFirstSeed[winner] };
            foreach (var seed in request.Seeds.Skip(1))
            {
                var run = RunOne(request, trainRequest with { Model = model }, config, points[winner], seed, progress, observer);
                final.Add(run);
                all.Add(run);
            }

            result.Add(new ModelRuns(model, points[winner], final, all));
        }

        return result;
    }

    /// <summary>The folder name of a setting: "default", or key=value pairs joined by '_'.</summary>
    public static string Name(IReadOnlyDictionary<string, string> setting) =>
        setting.Count == 0 ? "default" : string.Join("_", setting.Select(kv => $"{kv.Key}={kv.Value}"));

    private static ResolvedConfig WithSeed(ResolvedConfig config, int seed) =>
        config.With(new Dictionary<string, string> { ["seed"] = seed.ToString(CultureInfo.InvariantCulture) }, "compare --seeds");

    private static ComparisonRun RunOne(
        ComparisonRequest request, TrainRequest trainRequest, ResolvedConfig config, Dictionary<string, string> point, int seed, Progress progress, ITrainingObserver? observer)
    {
        var resolved = ConfigChecks.Validate(WithSeed(config.With(point), seed));
        var key = ComparisonRun.KeyOf(resolved);
        var folder = Path.Combine(request.OutDir, "runs", trainRequest.Model, Name(point), "seed-" + seed.ToString(CultureInfo.InvariantCulture));
        var label = $"{trainRequest.Model} {Name(point)} seed {seed}";
        if (ComparisonRun.TryLoad(folder, key) is { } done)
        {
            progress.Step(label, "reused", 0);
            return done;
        }

        // An earlier attempt with the same configuration that was interrupted continues from its checkpoint.
        var keyFile = Path.Combine(folder, ComparisonRun.KeyFile);
        var run = new RunFolder(folder);
        var resume = File.Exists(keyFile) && File.ReadAllText(keyFile).Trim() == key && File.Exists(run.LastCheckpoint) && File.Exists(run.ConfigFile);
        progress.Starting(label, resume ? "resuming" : "training");
        var watch = Stopwatch.StartNew();
        if (!resume)
        {
            Directory.CreateDirectory(folder);
            RunFolder.WriteTextAtomic(keyFile, key + "\n");
        }

        PeakMemory.Reset();
        var outcome = resume
            ? TrainingSession.Train(new TrainRequest { ResumeRun = folder }, observer)
            : TrainingSession.Train(trainRequest with { OutDir = folder }, observer, resolved);

        var peak = PeakMemory.PeakMiB();
        var test = RunEvaluation.Evaluate(folder, "test");
        var (users, recall) = test.PerUser("recall", 20);
        var record = new ComparisonRunRecord
        {
            Key = key,
            Model = trainRequest.Model,
            Setting = point,
            Seed = seed,
            TrainableParameters = outcome.Model.Parameters.Where(p => p.Trainable).Sum(p => (long)p.Value.Length),
            PeakRssMiB = peak,
            WallSeconds = outcome.Result.SecondsTotal,
        };
        ComparisonRun.Save(folder, record, users, recall);
        progress.Step(label, "done", watch.Elapsed.TotalSeconds);
        return new ComparisonRun(folder, record, outcome.Result, users, recall);
    }

    /// <summary>"run i of N" lines with an ETA from the mean time of the runs trained so far.</summary>
    private sealed class Progress(int total, Action<string>? log)
    {
        private int _done;
        private int _trained;
        private double _trainedSeconds;

        public void Starting(string label, string what) => log?.Invoke($"run {_done + 1} of {total}: {label}: {what}{Eta(_done)}");

        public void Step(string label, string what, double seconds)
        {
            _done++;
            if (what == "reused")
            {
                log?.Invoke($"run {_done} of {total}: {label}: reused (finished earlier)");
                return;
            }

            _trained++;
            _trainedSeconds += seconds;
            log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"run {_done} of {total}: {label}: done in {seconds:F1} s{Eta(_done)}"));
        }

        private string Eta(int done) => _trained == 0 || done >= total
            ? ""
            : string.Create(CultureInfo.InvariantCulture, $" (ETA {TimeSpan.FromSeconds(_trainedSeconds / _trained * (total - done)):hh\\:mm\\:ss})");
    }
}
