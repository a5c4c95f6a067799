// Everything the trainer needs, besides weights and Adam moments, to resume exactly where it stopped.
using System.Text.Json;
using System.Text.Json.Serialization;
using MultiRec.Data;

namespace MultiRec.Training;

/// <summary>Resumable trainer state, stored as JSON in the metadata of last.safetensors.</summary>
internal sealed class TrainerState
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

    /// <summary>Parses the trainer metadata of a checkpoint; anything that is not this JSON object is a data error.</summary>
    public static TrainerState FromJson(string json, string path)
    {
        try
        {
            return JsonSerializer.Deserialize<TrainerState>(json, Json) ?? throw new JsonException("null");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            throw new DataFormatException(path, "trainer metadata is not a trainer state JSON object: " + (e.Message.Length <= 200 ? e.Message : e.Message[..200]));
        }
    }

    /// <summary>Range checks of a restored state: counters non-negative, the step within the epoch's batches,
    /// the best epoch not after the current one, numbers finite. Violations name the file and field.</summary>
    public void Check(int batchesPerEpoch, string path)
    {
        void Require(bool ok, string what)
        {
            if (!ok)
            {
                throw new DataFormatException(path, "trainer state: " + what);
            }
        }

        Require(Epoch >= 0, $"epoch {Epoch} is negative");
        Require(StepInEpoch >= 0 && StepInEpoch <= batchesPerEpoch, $"step_in_epoch {StepInEpoch} is not in 0..{batchesPerEpoch} (batches per epoch with this train_batch_size)");
        Require(GlobalStep >= 0, $"global_step {GlobalStep} is negative");
        Require(BestEpoch >= 0 && BestEpoch <= Epoch, $"best_epoch {BestEpoch} is not in 0..epoch {Epoch}");
        Require(StepsSinceBest >= 0, $"steps_since_best {StepsSinceBest} is negative");
        Require(double.IsFinite(Best) && double.IsFinite(EpochTrainSeconds) && double.IsFinite(SecondsTotal), "best, epoch_train_seconds and seconds_total must be finite numbers");
        Require(LossSums is not null && LossSums.Values.All(double.IsFinite), "loss_sums must be finite numbers");
    }
}
