// The outcome of a training run, as written to results.json.
using System.Text.Json.Serialization;

namespace MultiRec.Training;

/// <summary>Summary of a run: best epoch by the validation metric, and the valid and test metrics at that epoch.</summary>
public sealed record TrainingResult
{
    /// <summary>Model name.</summary>
    [JsonPropertyName("model")]
    public string Model { get; init; } = "";

    /// <summary>Dataset name.</summary>
    [JsonPropertyName("dataset")]
    public string Dataset { get; init; } = "";

    /// <summary>Metric that selected the best epoch (e.g. recall@20).</summary>
    [JsonPropertyName("valid_metric")]
    public string ValidMetric { get; init; } = "";

    /// <summary>The best epoch (1-based; 0 when none was evaluated).</summary>
    [JsonPropertyName("best_epoch")]
    public int BestEpoch { get; init; }

    /// <summary>Epochs run before training stopped.</summary>
    [JsonPropertyName("epochs_run")]
    public int EpochsRun { get; init; }

    /// <summary>Optimizer steps taken.</summary>
    [JsonPropertyName("steps")]
    public long Steps { get; init; }

    /// <summary>Why training ended: "early_stop", "max_epochs" or "max_steps".</summary>
    [JsonPropertyName("stopped_by")]
    public string StoppedBy { get; init; } = "";

    /// <summary>Wall time of the run in seconds.</summary>
    [JsonPropertyName("seconds_total")]
    public double SecondsTotal { get; init; }

    /// <summary>Median seconds per training epoch.</summary>
    [JsonPropertyName("seconds_per_epoch")]
    public double SecondsPerEpoch { get; init; }

    /// <summary>Median seconds per evaluation.</summary>
    [JsonPropertyName("seconds_per_evaluation")]
    public double SecondsPerEvaluation { get; init; }

    /// <summary>Kernel threads used.</summary>
    [JsonPropertyName("threads")]
    public int Threads { get; init; }

    /// <summary>Users evaluated on valid / test (users with at least one held-out item).</summary>
    [JsonPropertyName("valid_users")]
    public int ValidUsers { get; init; }

    /// <summary>Users evaluated on test.</summary>
    [JsonPropertyName("test_users")]
    public int TestUsers { get; init; }

    /// <summary>Validation metrics at the best epoch.</summary>
    [JsonPropertyName("valid")]
    public IReadOnlyDictionary<string, double>? Valid { get; init; }

    /// <summary>Test metrics at the best epoch.</summary>
    [JsonPropertyName("test")]
    public IReadOnlyDictionary<string, double>? Test { get; init; }
}
