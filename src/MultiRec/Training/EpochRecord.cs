// One line of metrics.jsonl: what an epoch did and measured.
using System.Text.Json.Serialization;

namespace MultiRec.Training;

/// <summary>Per-epoch training log entry (serialised as one JSON line).</summary>
public sealed record EpochRecord
{
    [JsonPropertyName("epoch")]
    public int Epoch { get; init; }

    [JsonPropertyName("steps")]
    public long Steps { get; init; }

    /// <summary>Mean of each loss term over the epoch's batches (total included as "loss").</summary>
    [JsonPropertyName("loss")]
    public IReadOnlyDictionary<string, double> Loss { get; init; } = new Dictionary<string, double>();

    [JsonPropertyName("train_seconds")]
    public double TrainSeconds { get; init; }

    [JsonPropertyName("eval_seconds")]
    public double EvalSeconds { get; init; }

    [JsonPropertyName("valid")]
    public IReadOnlyDictionary<string, double>? Valid { get; init; }

    [JsonPropertyName("test")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, double>? Test { get; init; }

    [JsonPropertyName("best")]
    public bool IsBest { get; init; }
}
