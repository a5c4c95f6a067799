// Hyperparameters of LightGCN (configs/model/LightGCN.yaml documents each key).
namespace MultiRec.Models.LightGcn;

/// <summary>LightGCN settings; defaults are the reference's (MMRec/ImRec LightGCN.yaml).</summary>
public sealed record LightGcnOptions
{
    /// <summary>Latent size d of the ego embeddings (reference: 64).</summary>
    public int EmbeddingSize { get; init; } = 64;

    /// <summary>Propagation layers L (reference default 4; grid 1, 2, 3, 4).</summary>
    public int NLayers { get; init; } = 4;

    /// <summary>Weight λ of the EmbLoss on the ego rows (reference default 1e-2; grid 1e-2 … 1e-6).</summary>
    public double RegWeight { get; init; } = 1e-2;
}
