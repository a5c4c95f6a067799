// One line of metrics.jsonl: what an epoch did and measured.
using System.Text.Json.Serialization;

namespace MultiRec.Training;

/// <summary>Per-epoch training log entry (serialised as one JSON line).</summary>
public sealed record EpochRecord
{
    /// <summary>Epoch number, 1-based.</summary>
    [JsonPropertyName("epoch")]
    public int Epoch { get; init; }

    /// <summary>Optimizer steps taken so far in the run.</summary>
    [JsonPropertyName("steps")]
    public long Steps { get; init; }

    /// <summary>Mean of each loss term over the epoch's batches (total included as "loss").</summary>
    [JsonPropertyName("loss")]
    public IReadOnlyDictionary<string, double> Loss { get; init; } = new Dictionary<string, double>();

    /// <summary>Seconds spent training this epoch.</summary>
    [JsonPropertyName("train_seconds")]
    public double TrainSeconds { get; init; }

    /// <summary>Seconds spent evaluating after this epoch.</summary>
    [JsonPropertyName("eval_seconds")]
    public double EvalSeconds { get; init; }

    /// <summary>Validation metrics of the epoch (null when not evaluated).</summary>
    [JsonPropertyName("valid")]
    public IReadOnlyDictionary<string, double>? Valid { get; init; }

    /// <summary>Test metrics of the epoch (null when not computed).</summary>
    [JsonPropertyName("test")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, double>? Test { get; init; }

    /// <summary>Whether this epoch is the best so far by the validation metric.</summary>
    [JsonPropertyName("best")]
    public bool IsBest { get; init; }
}
