// Hyperparameters of FREEDOM (configs/model/FREEDOM.yaml documents each key).
namespace MultiRec.Models.Freedom;

/// <summary>FREEDOM settings; defaults are the reference's (MMRec FREEDOM.yaml). Its dropout and reg_weight are grid
/// axes there; their defaults here are the grid's first dropout (0.8) and its largest reg_weight (1e-3). The
/// reference's feat_embed_dim is not a key: the modality projections must be embedding_size wide for their dot
/// products with H_u, so they are.</summary>
public sealed record FreedomOptions
{
    /// <summary>Latent size d of the ID embeddings (reference: 64).</summary>
    public int EmbeddingSize { get; init; } = 64;

    /// <summary>Neighbours per item in the frozen item–item kNN graph, self included (reference: 10).</summary>
    public int KnnK { get; init; } = 10;

    /// <summary>Weight of the image kNN graph; text gets 1 − this (reference: 0.1).</summary>
    public double MmImageWeight { get; init; } = 0.1;

    /// <summary>Propagations of the item ID embeddings over the item–item graph (reference: 1).</summary>
    public int NMmLayers { get; init; } = 1;

    /// <summary>LightGCN layers over the user–item graph (reference: 2).</summary>
    public int NUiLayers { get; init; } = 2;

    /// <summary>Fraction of training edges pruned each epoch, degree-sensitively (reference grid: 0.8, 0.9); 0 trains
    /// on the full graph.</summary>
    public double Dropout { get; init; } = 0.8;

    /// <summary>Weight of the two modality BPR terms (reference grid: 0, 1e-5, 1e-4, 1e-3).</summary>
    public double RegWeight { get; init; } = 1e-3;

    /// <summary>Modalities to use: null = every feature file present; at least one is needed.</summary>
    public IReadOnlyList<string>? Modalities { get; init; }
}
