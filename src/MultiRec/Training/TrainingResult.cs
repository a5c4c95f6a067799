// The outcome of a training run, as written to results.json.
using System.Text.Json.Serialization;

namespace MultiRec.Training;

/// <summary>Summary of a run: best epoch by the validation metric, and the valid and test metrics at that epoch.</summary>
public sealed record TrainingResult
{
    [JsonPropertyName("model")]
    public string Model { get; init; } = "";

    [JsonPropertyName("dataset")]
    public string Dataset { get; init; } = "";

    [JsonPropertyName("valid_metric")]
    public string ValidMetric { get; init; } = "";

    [JsonPropertyName("best_epoch")]
    public int BestEpoch { get; init; }

    [JsonPropertyName("epochs_run")]
    public int EpochsRun { get; init; }

    [JsonPropertyName("steps")]
    public long Steps { get; init; }

    /// <summary>Why training ended: "early_stop", "max_epochs" or "max_steps".</summary>
    [JsonPropertyName("stopped_by")]
    public string StoppedBy { get; init; } = "";

    [JsonPropertyName("seconds_total")]
    public double SecondsTotal { get; init; }

    [JsonPropertyName("seconds_per_epoch")]
    public double SecondsPerEpoch { get; init; }

    [JsonPropertyName("seconds_per_evaluation")]
    public double SecondsPerEvaluation { get; init; }

    [JsonPropertyName("threads")]
    public int Threads { get; init; }

    /// <summary>Users evaluated on valid / test (users with at least one held-out item).</summary>
    [JsonPropertyName("valid_users")]
    public int ValidUsers { get; init; }

    [JsonPropertyName("test_users")]
    public int TestUsers { get; init; }

    [JsonPropertyName("valid")]
    public IReadOnlyDictionary<string, double>? Valid { get; init; }

    [JsonPropertyName("test")]
    public IReadOnlyDictionary<string, double>? Test { get; init; }
}
