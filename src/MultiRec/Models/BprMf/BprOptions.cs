// Hyperparameters of BPR matrix factorisation (configs/model/BPR.yaml documents each key).
namespace MultiRec.Models.BprMf;

/// <summary>BPR settings; defaults are the reference's (MMRec/ImRec BPR.yaml).</summary>
public sealed record BprOptions
{
    /// <summary>Latent size d of the user and item tables (reference: 64).</summary>
    public int EmbeddingSize { get; init; } = 64;

    /// <summary>Weight λ of the EmbLoss regulariser (reference default 1e-3; grid 2.0 … 1e-5).</summary>
    public double RegWeight { get; init; } = 1e-3;
}
