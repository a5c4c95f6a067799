// `multirec bench`: times training epochs and evaluations of a model on a dataset, with a per-phase step profile.
using System.Diagnostics;
using System.Text.Json.Serialization;
using MultiRec.Data;
using MultiRec.Engine;
using MultiRec.Models;

namespace MultiRec.Training;

/// <summary>Figures printed by <c>multirec bench</c> (and its --json output).</summary>
internal sealed record BenchReport
{
    [JsonPropertyName("model")]
    public string Model { get; init; } = "";

    [JsonPropertyName("dataset")]
    public string Dataset { get; init; } = "";

    [JsonPropertyName("users")]
    public int Users { get; init; }

    [JsonPropertyName("items")]
    public int Items { get; init; }

    [JsonPropertyName("train_rows")]
    public int TrainRows { get; init; }

    [JsonPropertyName("features")]
    public IReadOnlyDictionary<string, int[]> Features { get; init; } = new Dictionary<string, int[]>();

    [JsonPropertyName("parameters")]
    public long Parameters { get; init; }

    [JsonPropertyName("threads")]
    public int Threads { get; init; }

    [JsonPropertyName("epochs")]
    public int Epochs { get; init; }

    [JsonPropertyName("steps_per_epoch")]
    public int StepsPerEpoch { get; init; }

    [JsonPropertyName("epoch_seconds")]
    public IReadOnlyList<double> EpochSeconds { get; init; } = [];

    /// <summary>Median seconds per training epoch, the first epoch excluded (when there are two or more).</summary>
    [JsonPropertyName("epoch_seconds_median")]
    public double EpochSecondsMedian { get; init; }

    [JsonPropertyName("eval_seconds")]
    public IReadOnlyList<double> EvalSeconds { get; init; } = [];

    /// <summary>Median seconds of one evaluation (valid + test, propagation included).</summary>
    [JsonPropertyName("eval_seconds_median")]
    public double EvalSecondsMedian { get; init; }

    /// <summary>Milliseconds per step by phase, over the epochs after the first.</summary>
    [JsonPropertyName("step_ms")]
    public IReadOnlyDictionary<string, double> StepMilliseconds { get; init; } = new Dictionary<string, double>();

    /// <summary>Managed KiB allocated per step by phase, over the epochs after the first.</summary>
    [JsonPropertyName("step_allocated_kib")]
    public IReadOnlyDictionary<string, double> StepAllocatedKib { get; init; } = new Dictionary<string, double>();

    /// <summary>Peak resident set size (VmHWM) in MiB; 0 where /proc is not available.</summary>
    [JsonPropertyName("peak_rss_mib")]
    public double PeakRssMiB { get; init; }

    /// <summary>Seconds the garbage collector paused the process over all epochs and evaluations.</summary>
    [JsonPropertyName("gc_pause_seconds")]
    public double GcPauseSeconds { get; init; }

    [JsonPropertyName("load_seconds")]
    public double LoadSeconds { get; init; }
}

/// <summary>Runs the benchmark: load, build, N training epochs each followed by a valid + test evaluation.</summary>
internal static class TrainingBenchmark
{
    public static BenchReport Run(string dataDir, int epochs, int threads, IReadOnlyList<string> set, Action<string>? log = null, string? interFile = null, string model = Models.ModelCatalog.Default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        var load = Stopwatch.StartNew();
        var request = new TrainRequest { Model = model, DataDir = dataDir, InterFile = interFile, Set = set };
        var data = Dataset.Load(dataDir, request.LoadOptions);
        var config = TrainingSession.ResolveConfig(request, data);
        var training = config.Bind<TrainingOptions>();
        using var threadScope = ComputeSettings.Use(threads > 0 ? threads : training.Threads);
        var trained = Models.ModelCatalog.Create(config.Bind<RunOptions>().Model, data, config, training.Seed);
        TrainingMemory.AfterModelBuilt();
        var optimizer = new AdamOptimizer(trained, training.LearningRate, training.WeightDecay, training.AdamDeferredRows);
        var loadSeconds = load.Elapsed.TotalSeconds;
        var profile = new StepProfile();
        var step = new TrainingStep(trained, optimizer, data, training) { Profile = profile };

        var rng = new Rng((ulong)training.Seed);
        var order = Enumerable.Range(0, data.TrainUsers.Length).ToArray();
        long globalStep = 0;
        var steps = TrainingBatch.Count(order.Length, training.TrainBatchSize);
        var epochSeconds = new List<double>();
        var gcPauseBefore = GC.GetTotalPauseDuration();
        var evalSeconds = new List<double>();
        for (var e = 0; e < epochs; e++)
        {
            if (e == 1)
            {
                profile.Reset(); // the first epoch warms up the JIT and the buffer pools
            }

            rng.Shuffle(order.AsSpan());
            var watch = Stopwatch.StartNew();
            step.BeginEpoch(e + 1);
            for (var s = 0; s < steps; s++)
            {
                step.Run(order, s, globalStep++); // the trainer's step, phases lapped into the profile
            }

            optimizer.Flush(); // as the trainer does before its per-epoch checkpoint
            epochSeconds.Add(watch.Elapsed.TotalSeconds);
            watch.Restart();
            TrainingMemory.BeforeEvaluation(trained);
            var (users, items) = trained.ScoringEmbeddings();
            EpochEvaluation.EvaluateValidAndTest(users, items, data, training);
            TrainingMemory.AfterEpoch();
            evalSeconds.Add(watch.Elapsed.TotalSeconds);
            log?.Invoke($"epoch {e + 1}/{epochs}: train {epochSeconds[^1]:F2} s, evaluation (valid + test) {evalSeconds[^1]:F2} s");
        }

        return new BenchReport
        {
            Model = trained.Name,
            Dataset = data.Name,
            Users = data.Users,
            Items = data.Items,
            TrainRows = data.TrainUsers.Length,
            Features = data.Features.ToDictionary(kv => kv.Key, kv => new[] { kv.Value.Rows, kv.Value.Cols }),
            Parameters = trained.Parameters.Sum(p => (long)p.Value.Length),
            Threads = ComputeSettings.Threads,
            Epochs = epochs,
            StepsPerEpoch = steps,
            EpochSeconds = epochSeconds,
            EpochSecondsMedian = SecondsSummary.Median(epochSeconds.Count > 1 ? epochSeconds.Skip(1) : epochSeconds),
            EvalSeconds = evalSeconds,
            EvalSecondsMedian = SecondsSummary.Median(evalSeconds.Count > 1 ? evalSeconds.Skip(1) : evalSeconds),
            StepMilliseconds = profile.Phases.ToDictionary(p => p, profile.MillisecondsPerStep),
            StepAllocatedKib = profile.Phases.ToDictionary(p => p, profile.KibibytesPerStep),
            PeakRssMiB = PeakRssMiB(),
            GcPauseSeconds = (GC.GetTotalPauseDuration() - gcPauseBefore).TotalSeconds,
            LoadSeconds = loadSeconds,
        };
    }

    /// <summary>VmHWM of this process in MiB (Linux), or 0.</summary>
    public static double PeakRssMiB()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

}
