// Typed settings of RecommenderTrainer.Fit: the catalog model, its options record and the common trainer keys.
namespace MultiRec;

/// <summary>What to train and how. Unset values (null) keep the layered defaults of <c>multirec train</c>
/// (configs/overall.yaml, the dataset's and the model's YAML files).</summary>
public sealed record TrainSettings
{
    /// <summary>A catalog model name (<see cref="Models.ModelCatalog.Names"/>: BM3, BPR, LightGCN, VBPR, BUIR,
    /// FREEDOM; case-insensitive). Default BM3.</summary>
    public string Model { get; init; } = Models.ModelCatalog.Default;

    /// <summary>The model's options record (e.g. <see cref="Models.Bm3Options"/>, <see cref="Models.BprMf.BprOptions"/>);
    /// when given, every one of its keys replaces the model's YAML defaults. Its type must be the model's.</summary>
    public object? ModelOptions { get; init; }

    /// <summary>Maximum number of epochs.</summary>
    public int? Epochs { get; init; }

    /// <summary>Run seed (initialisation, shuffling, negatives, dropout).</summary>
    public int? Seed { get; init; }

    /// <summary>Adam learning rate.</summary>
    public double? LearningRate { get; init; }

    /// <summary>Positive pairs per optimizer step.</summary>
    public int? TrainBatchSize { get; init; }

    /// <summary>Evaluations without improvement before early stopping.</summary>
    public int? StoppingStep { get; init; }

    /// <summary>Kernel threads; 0 = every core.</summary>
    public int? Threads { get; init; }

    /// <summary>Metric cut-offs K.</summary>
    public IReadOnlyList<int>? TopK { get; init; }

    /// <summary>Any other configuration key (snake_case, as in the YAML files) and its value, applied last.</summary>
    public IReadOnlyDictionary<string, string>? Set { get; init; }

    /// <summary>Run folder to write; default runs/&lt;model&gt;-&lt;dataset&gt;-&lt;timestamp&gt; under the current directory.</summary>
    public string? OutputFolder { get; init; }

    /// <summary>Write into a non-empty <see cref="OutputFolder"/> (files of the same name are replaced). Default false.</summary>
    public bool Force { get; init; }
}

/// <summary>Progress of a training run, reported after every epoch's evaluation.</summary>
/// <param name="Epoch">The epoch just finished (1-based).</param>
/// <param name="MaxEpochs">The configured maximum.</param>
/// <param name="Loss">Mean loss terms of the epoch (e.g. "total").</param>
/// <param name="ValidMetric">Name of the metric that selects the best epoch (e.g. recall@20).</param>
/// <param name="Valid">Validation metrics of the epoch.</param>
/// <param name="IsBest">Whether this epoch is the best so far.</param>
public sealed record TrainingProgress(int Epoch, int MaxEpochs, IReadOnlyDictionary<string, double> Loss, string ValidMetric, IReadOnlyDictionary<string, double> Valid, bool IsBest);
