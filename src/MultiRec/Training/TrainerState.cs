// Everything the trainer needs, besides weights and Adam moments, to resume exactly where it stopped.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MultiRec.Training;

/// <summary>Resumable trainer state, stored as JSON in the metadata of last.safetensors.</summary>
public sealed class TrainerState
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>Completed epochs.</summary>
    [JsonPropertyName("epoch")]
    public int Epoch { get; set; }

    /// <summary>Batches already done in the current (incomplete) epoch; 0 at an epoch boundary.</summary>
    [JsonPropertyName("step_in_epoch")]
    public int StepInEpoch { get; set; }

    [JsonPropertyName("global_step")]
    public long GlobalStep { get; set; }

    /// <summary>Shuffle RNG state at the start of the current epoch (the permutation is re-drawn on resume).</summary>
    [JsonPropertyName("epoch_shuffle_state")]
    public string EpochShuffleState { get; set; } = "";

    /// <summary>Shuffle RNG state when the checkpoint was written (restored on resume at an epoch boundary).</summary>
    [JsonPropertyName("shuffle_state")]
    public string ShuffleState { get; set; } = "";

    [JsonPropertyName("loss_sums")]
    public Dictionary<string, double> LossSums { get; set; } = [];

    [JsonPropertyName("epoch_train_seconds")]
    public double EpochTrainSeconds { get; set; }

    [JsonPropertyName("seconds_total")]
    public double SecondsTotal { get; set; }

    [JsonPropertyName("best")]
    public double Best { get; set; } = -1;

    [JsonPropertyName("best_epoch")]
    public int BestEpoch { get; set; }

    [JsonPropertyName("steps_since_best")]
    public int StepsSinceBest { get; set; }

    [JsonPropertyName("should_stop")]
    public bool ShouldStop { get; set; }

    [JsonPropertyName("best_valid")]
    public IReadOnlyDictionary<string, double>? BestValid { get; set; }

    [JsonPropertyName("best_test")]
    public IReadOnlyDictionary<string, double>? BestTest { get; set; }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static TrainerState FromJson(string json) => JsonSerializer.Deserialize<TrainerState>(json, Json) ?? new TrainerState();
}
