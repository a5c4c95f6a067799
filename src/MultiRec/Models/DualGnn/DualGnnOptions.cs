// Hyperparameters of DualGNN (configs/model/DualGNN.yaml documents each key).
namespace MultiRec.Models.DualGnn;

/// <summary>DualGNN settings; defaults are the reference's (MMRec DualGNN.yaml and the values its code hard-codes).
/// Its learning_rate and reg_weight are grid axes there (0.1 … 1e-5 each); reg_weight defaults here to 1e-3, the
/// middle of the grid, and the learning rate is the training key.</summary>
public sealed record DualGnnOptions
{
    /// <summary>Latent size d of the user preferences and of the feature projections (reference: 64, hard-coded as
    /// dim_latent; the projections' hidden layer is 4d wide).</summary>
    public int EmbeddingSize { get; init; } = 64;

    /// <summary>Weight λ of the mean-square regulariser on the batch users' preferences and on the fusion weights
    /// (reference grid: 0.1, 0.01, 1e-3, 1e-4, 1e-5).</summary>
    public double RegWeight { get; init; } = 1e-3;

    /// <summary>User–user neighbours aggregated per user each epoch (reference: 40, hard-coded).</summary>
    public int UserNeighbours { get; init; } = 40;

    /// <summary>Ranked co-occurrence neighbours kept per user, from which each epoch samples (reference: 200, in its
    /// preprocessing script).</summary>
    public int UserGraphCap { get; init; } = 200;

    /// <summary>Score from the representation cached by the last training step, as the reference does (it is one
    /// optimizer step behind the weights); false recomputes it from the current weights.</summary>
    public bool StaleScores { get; init; } = true;

    /// <summary>Modalities to use: null = every feature file present; at least one is needed.</summary>
    public IReadOnlyList<string>? Modalities { get; init; }
}
