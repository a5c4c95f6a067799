// Options of the training loop and evaluation protocol (configs/overall.yaml documents each key and its bounds).
using MultiRec.Config;

namespace MultiRec.Training;

/// <summary>Trainer settings. Defaults follow the MMRec reference (overall.yaml); the YAML file documents each key.</summary>
public sealed record TrainingOptions
{
    /// <summary>Upper bound of train_batch_size (the batch buffers and per-step scratch grow with it).</summary>
    public const int MaxTrainBatchSize = 1 << 20;

    /// <summary>Upper bound of each topk cut-off.</summary>
    public const int MaxTopK = 10_000;

    /// <summary>Seed of initialisation, shuffling and dropout (reference: 999).</summary>
    public int Seed { get; init; } = 999;

    /// <summary>Worker threads for kernels; 0 = every core. Bounds: [0, 1024].</summary>
    [ConfigRange(0, 1024)]
    public int Threads { get; init; }

    /// <summary>Maximum number of epochs (reference: 1000). Bounds: &gt;= 1.</summary>
    [ConfigRange(1, int.MaxValue)]
    public int Epochs { get; init; } = 1000;

    /// <summary>Positive pairs per optimizer step (reference: 2048). Bounds: [1, 1048576].</summary>
    [ConfigRange(1, MaxTrainBatchSize)]
    public int TrainBatchSize { get; init; } = 2048;

    /// <summary>Adam learning rate (reference: 0.001, constant). Bounds: [0, 1000]; 0 keeps the weights as they are
    /// (used to evaluate given --init weights through the training path).</summary>
    [ConfigRange(0, 1000)]
    public double LearningRate { get; init; } = 0.001;

    /// <summary>Per-epoch learning-rate factor [s0, s1], as MMRec's LambdaLR: epoch e (counted from 0) trains with
    /// learning_rate · s0^(e / s1) (reference: [1.0, 50], a constant rate; LATTICE: [0.96, 50]). Bounds: two numbers,
    /// s0 in [0, 1000] and s1 in [1e-9, 1e9] (checked with the other keys).</summary>
    [ConfigRange(0, 1e9)]
    public IReadOnlyList<double> LearningRateScheduler { get; init; } = [1.0, 50.0];

    /// <summary>The learning rate of epoch <paramref name="epoch"/> (1-based): learning_rate · s0^((epoch − 1) / s1).</summary>
    public double LearningRateAt(int epoch) =>
        LearningRate * Math.Pow(LearningRateScheduler[0], (epoch - 1) / LearningRateScheduler[1]);

    /// <summary>Adam L2 weight decay (reference: 0). Bounds: [0, 1000].</summary>
    [ConfigRange(0, 1000)]
    public double WeightDecay { get; init; }

    /// <summary>Early stopping: stop after this many evaluations without strict improvement of the valid metric (reference: 20). Bounds: &gt;= 0.</summary>
    [ConfigRange(0, int.MaxValue)]
    public int StoppingStep { get; init; } = 20;

    /// <summary>Validation metric that selects the best epoch (reference: recall@20).</summary>
    public string ValidMetric { get; init; } = "recall@20";

    /// <summary>Decimals the valid metric is rounded to before early stopping compares it (the reference rounds
    /// every metric to 4); -1 compares full precision. Bounds: [-1, 15].</summary>
    [ConfigRange(-1, 15)]
    public int ValidMetricDecimals { get; init; } = 4;

    /// <summary>Cut-offs K of the metrics. Bounds: at least one, each in [1, 10000].</summary>
    [ConfigRange(1, MaxTopK)]
    [ConfigNotEmpty]
    public IReadOnlyList<int> Topk { get; init; } = [5, 10, 20, 50];

    /// <summary>Reshuffle the training pairs every epoch; false = file order (for interop/debugging).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Stop after this many optimizer steps and write a checkpoint; 0 = no limit. Bounds: &gt;= 0.</summary>
    [ConfigRange(0, int.MaxValue)]
    public int MaxSteps { get; init; }

    /// <summary>Evaluate the test split only when the valid metric improves (same reported numbers, less work).</summary>
    public bool TestOnlyOnImprovement { get; init; } = true;

    /// <summary>Update untouched rows of the raw feature tables when they are next read or saved, replaying the
    /// missed Adam steps (bit-identical to dense Adam, far less memory traffic); false = every row every step.</summary>
    public bool AdamDeferredRows { get; init; } = true;

    /// <summary>Also mask validation items when evaluating on test (reference: false).</summary>
    public bool MaskValidAtTest { get; init; }
}
