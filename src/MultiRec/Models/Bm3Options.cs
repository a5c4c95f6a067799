// Hyperparameters of BM3 (configs/model/BM3.yaml documents each key and its bounds).
using MultiRec.Config;

namespace MultiRec.Models;

/// <summary>BM3 settings. Defaults: the authors' best Baby setting (n_layers 1, dropout 0.5, reg_weight 0.1).</summary>
public sealed record Bm3Options
{
    /// <summary>Upper bound of embedding_size.</summary>
    public const int MaxEmbeddingSize = 4096;

    /// <summary>Upper bound of n_layers (each layer is one sparse product per step; the reference grid uses 1-4).</summary>
    public const int MaxLayers = 32;

    /// <summary>Latent size d of ID embeddings, projections and predictor (reference: 64). Bounds: [1, 4096].</summary>
    [ConfigRange(1, MaxEmbeddingSize)]
    public int EmbeddingSize { get; init; } = 64;

    /// <summary>LightGCN layers L (reference grid: 1, 2). Bounds: [0, 32].</summary>
    [ConfigRange(0, MaxLayers)]
    public int NLayers { get; init; } = 1;

    /// <summary>Drop probability p of the target views (reference grid: 0.3, 0.5). Bounds: [0, 1).</summary>
    [ConfigRange(0, 1, MaxExclusive = true)]
    public double Dropout { get; init; } = 0.5;

    /// <summary>Weight of (‖H_u‖_F + ‖H_i‖_F)/I (reference grid: 0.1, 0.01). Bounds: [0, 1000].</summary>
    [ConfigRange(0, 1000)]
    public double RegWeight { get; init; } = 0.1;

    /// <summary>Weight of the multimodal losses (alignment + masked), reference: 2.0. Bounds: [0, 1000].</summary>
    [ConfigRange(0, 1000)]
    public double ClWeight { get; init; } = 2.0;

    /// <summary>Modalities to use: null = every feature file present in the dataset; [] = ID-only.</summary>
    public IReadOnlyList<string>? Modalities { get; init; }

    /// <summary>Train the raw feature tables (the reference does); false freezes them as the paper describes.</summary>
    public bool TrainRawFeatures { get; init; } = true;
}
