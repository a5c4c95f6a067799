// The training loop: batches of positive pairs, Adam steps, per-epoch evaluation, early stopping, checkpoints.
using System.Diagnostics;
using MultiRec.Data;
using MultiRec.Engine;
using MultiRec.Evaluation;
using MultiRec.Models;
using MultiRec.Training.Checkpoints;

namespace MultiRec.Training;

/// <summary>Trains a model with the reference protocol: each epoch walks the training pairs in batches
/// (reshuffled with a seeded RNG), then evaluates valid (and test when valid improves); stops early on the
/// valid metric; writes last/best checkpoints and metrics.jsonl to the run folder.</summary>
internal sealed class Trainer
{
    private readonly IRecommenderModel _model;
    private readonly Dataset _data;
    private readonly TrainingOptions _options;
    private readonly RunFolder _run;
    private readonly ITrainingObserver _observer;
    private readonly AdamOptimizer _optimizer;
    private readonly TrainingStep _step;
    private readonly Rng _shuffleRng;
    private readonly EarlyStopping _stopping;
    private readonly List<EpochRecord> _records = [];
    private readonly string _metricName;
    private readonly int _metricK;
    private TrainerState _state = new();

    public Trainer(IRecommenderModel model, Dataset data, TrainingOptions options, RunFolder run, ITrainingObserver? observer = null)
    {
        _model = model;
        _data = data;
        _options = options;
        _run = run;
        _observer = observer ?? SilentObserver.Instance;
        (_metricName, _metricK) = ParseMetric(options.ValidMetric, options.Topk);
        TrainingMemory.AfterModelBuilt();
        _optimizer = new AdamOptimizer(model, options.LearningRate, options.WeightDecay, options.AdamDeferredRows);
        _step = new TrainingStep(model, _optimizer, data, options);
        _shuffleRng = new Rng((ulong)options.Seed);
        _stopping = new EarlyStopping(options.StoppingStep);
    }

    /// <summary>Total optimizer steps taken so far.</summary>
    public long Steps => _state.GlobalStep;

    /// <summary>Epoch records so far (metrics.jsonl).</summary>
    public IReadOnlyList<EpochRecord> Records => _records;

    /// <summary>Restores the trainer, optimizer, RNG and model from a last.safetensors checkpoint of the same run.</summary>
    public void Resume(string checkpointPath)
    {
        var file = SafeTensorsFile.Read(checkpointPath);
        Checkpoint.LoadParameters(file, _model.Parameters, checkpointPath, requireAll: true);
        _optimizer.Import(file, checkpointPath);
        if (_model is IStepStateModel stateful)
        {
            stateful.ImportStepState(name => file.Find("state." + name)?.Value);
        }

        var state = TrainerState.FromJson(file.Metadata.GetValueOrDefault("trainer") ?? throw new DataFormatException(checkpointPath, "no trainer state in metadata: not a last.safetensors checkpoint"), checkpointPath);
        state.Check(TrainingBatch.Count(_data.TrainUsers.Length, _options.TrainBatchSize), checkpointPath);
        var shuffle = ParseState(state.ShuffleState, "shuffle_state", checkpointPath);
        ParseState(state.EpochShuffleState, "epoch_shuffle_state", checkpointPath);
        _state = state;
        _shuffleRng.ImportState(shuffle);
        _stopping.Import((_state.Best, _state.BestEpoch, _state.StepsSinceBest, _state.ShouldStop));
        _records.Clear();
        _records.AddRange(MetricsLog.Read(_run.MetricsFile).Where(r => r.Epoch <= _state.Epoch));
        _observer.OnMessage($"resumed at epoch {_state.Epoch}, step {_state.GlobalStep}");
    }

    /// <summary>Runs until early stop, the epoch limit or max_steps; returns the summary (also written to results.json).</summary>
    public TrainingResult Run()
    {
        var total = Stopwatch.StartNew();
        var order = new int[_data.TrainUsers.Length];
        var batchesPerEpoch = TrainingBatch.Count(order.Length, _options.TrainBatchSize);
        var stoppedBy = "max_epochs";
        _observer.OnStart(_options.ValidMetric);
        var secondsOffset = _state.SecondsTotal;

        while (_state.Epoch < _options.Epochs && !_stopping.ShouldStop)
        {
            var epoch = _state.Epoch + 1;
            if (_state.StepInEpoch == 0)
            {
                _state.EpochShuffleState = FormatState(_shuffleRng.ExportState());
                _state.LossSums = [];
                _state.EpochTrainSeconds = 0;
            }
            else
            {
                _shuffleRng.ImportState(ParseState(_state.EpochShuffleState));
            }

            for (var i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }

            if (_options.Shuffle)
            {
                _shuffleRng.Shuffle(order);
            }

            var epochWatch = Stopwatch.StartNew();
            _optimizer.LearningRate = (float)_options.LearningRateAt(epoch);
            _step.BeginEpoch(epoch);
            for (var b = _state.StepInEpoch; b < batchesPerEpoch; b++)
            {
                var loss = _step.Run(order, b, _state.GlobalStep);
                if (!double.IsFinite(loss.Total))
                {
                    throw Diverged($"loss became {Describe(loss.Total)} at epoch {epoch} step {b + 1}");
                }

                Accumulate(_state.LossSums, loss);
                _state.StepInEpoch = b + 1;
                _state.GlobalStep++;
                _observer.OnBatch(epoch, b + 1, batchesPerEpoch, loss.Total, epochWatch.Elapsed + TimeSpan.FromSeconds(_state.EpochTrainSeconds));
                if (_options.MaxSteps > 0 && _state.GlobalStep >= _options.MaxSteps)
                {
                    _state.EpochTrainSeconds += epochWatch.Elapsed.TotalSeconds;
                    _state.SecondsTotal = secondsOffset + total.Elapsed.TotalSeconds;
                    _optimizer.Flush();
                    SaveLast();
                    _observer.OnMessage($"max_steps {_options.MaxSteps} reached at epoch {epoch}, batch {b + 1}; checkpoint written");
                    return Finish("max_steps", total, secondsOffset);
                }
            }

            _state.EpochTrainSeconds += epochWatch.Elapsed.TotalSeconds;
            _optimizer.Flush();
            if (_model.Parameters.FirstOrDefault(p => !AllFinite(p.Value)) is { } bad)
            {
                throw Diverged($"parameter '{bad.Name}' became NaN or infinite during epoch {epoch} (step {_state.GlobalStep})");
            }

            var evalWatch = Stopwatch.StartNew();
            TrainingMemory.BeforeEvaluation(_model);
            var (users, items) = _model.ScoringEmbeddings();
            // Valid and test in one scoring pass (same mask), unless test is only wanted on improvement.
            MetricSet valid;
            MetricSet? test = null;
            if (!_options.TestOnlyOnImprovement)
            {
                (valid, test) = EpochEvaluation.EvaluateValidAndTest(users, items, _data, _options);
            }
            else
            {
                valid = FullRankingEvaluator.Evaluate(users, items, _data.Train, _data.Valid, new EvaluationOptions { Ks = _options.Topk });
            }

            var score = valid.Get(_metricName, _metricK);
            var improved = _stopping.Observe(_options.ValidMetricDecimals >= 0 ? Math.Round(score, _options.ValidMetricDecimals) : score, epoch);
            if (improved && test is null)
            {
                test = EpochEvaluation.EvaluateTest(users, items, _data, _options);
            }

            if (improved)
            {
                _state.BestValid = valid.ToDictionary();
                _state.BestTest = test!.ToDictionary();
            }

            var record = new EpochRecord
            {
                Epoch = epoch,
                Steps = _state.GlobalStep,
                Loss = _state.LossSums.ToDictionary(kv => kv.Key, kv => kv.Value / Math.Max(1, batchesPerEpoch)),
                TrainSeconds = _state.EpochTrainSeconds,
                EvalSeconds = evalWatch.Elapsed.TotalSeconds,
                Valid = valid.ToDictionary(),
                Test = test?.ToDictionary(),
                IsBest = improved,
            };
            _records.Add(record);
            _state.Epoch = epoch;
            _state.StepInEpoch = 0;
            _state.SecondsTotal = secondsOffset + total.Elapsed.TotalSeconds;
            (_state.Best, _state.BestEpoch, _state.StepsSinceBest, _state.ShouldStop) = _stopping.Export();
            MetricsLog.Write(_run.MetricsFile, _records);
            _optimizer.Flush();
            if (improved)
            {
                Checkpoint.Save(_run.BestCheckpoint, _model.Parameters, null, new Dictionary<string, string> { ["epoch"] = epoch.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            }

            SaveLast();
            TrainingMemory.AfterEpoch();
            _observer.OnEpoch(record, valid, test, _options.Epochs);
            if (_stopping.ShouldStop)
            {
                stoppedBy = "early_stop";
                _observer.OnMessage($"early stop after epoch {epoch}: no strict improvement of valid {_options.ValidMetric} for {_stopping.StepsSinceBest} epochs (best epoch {_stopping.BestEpoch})");
            }
        }

        return Finish(stoppedBy, total, secondsOffset);
    }

    private TrainingResult Finish(string stoppedBy, Stopwatch total, double secondsOffset)
    {
        var epochs = _records.Count;
        var result = new TrainingResult
        {
            Model = _model.Name,
            Dataset = _data.Name,
            ValidMetric = _options.ValidMetric,
            BestEpoch = _stopping.BestEpoch,
            EpochsRun = _state.Epoch,
            Steps = _state.GlobalStep,
            StoppedBy = stoppedBy,
            SecondsTotal = secondsOffset + total.Elapsed.TotalSeconds,
            SecondsPerEpoch = epochs == 0 ? 0 : SecondsSummary.Median(_records.Select(r => r.TrainSeconds)),
            SecondsPerEvaluation = epochs == 0 ? 0 : SecondsSummary.Median(_records.Select(r => r.EvalSeconds)),
            Threads = ComputeSettings.Threads,
            ValidUsers = _data.Valid.NonEmptyUsers().Length,
            TestUsers = _data.Test.NonEmptyUsers().Length,
            Valid = _state.BestValid,
            Test = _state.BestTest,
        };
        return result;
    }

    private void SaveLast()
    {
        _state.ShuffleState = FormatState(_shuffleRng.ExportState());
        var metadata = new Dictionary<string, string> { ["trainer"] = _state.ToJson() };
        Checkpoint.Save(_run.LastCheckpoint, _model.Parameters, _optimizer, metadata, StepState());
    }

    /// <summary>The model's non-parameter step state as "state.&lt;name&gt;" tensors (shape as the tensor's rows x cols).</summary>
    private IEnumerable<NamedTensor> StepState() =>
        _model is IStepStateModel stateful
            ? stateful.ExportStepState().Select(s => new NamedTensor("state." + s.Name, [s.Value.Rows, s.Value.Cols], s.Value))
            : [];

    private TrainingDivergedException Diverged(string what)
    {
        var kept = File.Exists(_run.LastCheckpoint)
            ? $"the last good checkpoint, {_run.LastCheckpoint} (end of epoch {_state.Epoch}), is kept"
            : "no checkpoint was written before it";
        return new TrainingDivergedException($"{what}: training diverged (lower learning_rate?); {kept}");
    }

    private static string Describe(double v) => double.IsNaN(v) ? "NaN" : v > 0 ? "+Infinity" : "-Infinity";

    private static bool AllFinite(Tensor t)
    {
        foreach (var v in t.AsSpan())
        {
            if (!float.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }

    private static string FormatState(RngState s) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{s.S0},{s.S1},{s.S2},{s.S3}");

    private static RngState ParseState(string text)
    {
        var p = text.Split(',').Select(x => ulong.Parse(x, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return new RngState(p[0], p[1], p[2], p[3]);
    }

    /// <summary>Parses an RNG state from a checkpoint: four unsigned integers, not all zero.</summary>
    private static RngState ParseState(string text, string field, string path)
    {
        var parts = text.Split(',');
        var values = new ulong[4];
        if (parts.Length != 4 || parts.Select((x, i) => ulong.TryParse(x, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out values[i])).Any(ok => !ok)
            || (values[0] | values[1] | values[2] | values[3]) == 0)
        {
            throw new DataFormatException(path, $"trainer state: {field} '{Clip(text)}' is not four comma-separated unsigned integers (not all zero)");
        }

        return new RngState(values[0], values[1], values[2], values[3]);
    }

    private static string Clip(string text) => text.Length <= 80 ? text : text[..80] + "...";

    private static void Accumulate(Dictionary<string, double> sums, LossTerms loss)
    {
        foreach (var (k, v) in loss.Terms)
        {
            sums[k] = sums.GetValueOrDefault(k) + v;
        }

        sums["loss"] = sums.GetValueOrDefault("loss") + loss.Total;
    }


    /// <summary>Parses "recall@20" into ("recall", 20), checking the metric name and that K is evaluated.</summary>
    public static (string Metric, int K) ParseMetric(string text, IReadOnlyList<int> ks)
    {
        var at = text.IndexOf('@');
        if (at <= 0 || !int.TryParse(text[(at + 1)..], out var k) || !RankingMetrics.Names.Contains(text[..at]))
        {
            throw new ArgumentException($"valid_metric '{text}' must look like recall@20 (metrics: {string.Join(", ", RankingMetrics.Names)})");
        }

        if (!ks.Contains(k))
        {
            throw new ArgumentException($"valid_metric '{text}': K={k} is not in topk [{string.Join(", ", ks)}]");
        }

        return (text[..at], k);
    }
}
