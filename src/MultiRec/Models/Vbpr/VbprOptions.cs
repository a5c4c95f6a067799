// Hyperparameters of VBPR (configs/model/VBPR.yaml documents each key).
namespace MultiRec.Models.Vbpr;

/// <summary>VBPR settings; defaults are the reference's (MMRec VBPR.yaml and overall.yaml).</summary>
public sealed record VbprOptions
{
    /// <summary>Latent size d of the ID part and of the feature projection; users have 2d (reference: 64).</summary>
    public int EmbeddingSize { get; init; } = 64;

    /// <summary>Weight λ of the EmbLoss on the 2d-dimensional user and item vectors (reference grid 2.0 … 1e-5; default
    /// 1e-3, the middle of that grid, as no default is shipped).</summary>
    public double RegWeight { get; init; } = 1e-3;

    /// <summary>Modalities whose raw features are concatenated (text first, as the reference): null = every feature
    /// file present; at least one is needed.</summary>
    public IReadOnlyList<string>? Modalities { get; init; }
}
