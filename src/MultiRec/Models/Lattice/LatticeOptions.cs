// Hyperparameters of LATTICE (configs/model/LATTICE.yaml documents each key).
namespace MultiRec.Models.Lattice;

/// <summary>LATTICE settings; defaults are the reference's (MMRec LATTICE.yaml). Its reg_weight is a grid axis there
/// (0, 1e-5, 1e-4, 1e-3); the default here is the grid's largest, 1e-3. Its learning_rate_scheduler [0.96, 50] is a
/// training key (configs/model/LATTICE.yaml sets it). mess_dropout is not a key: only the NGCF variant reads it.</summary>
public sealed record LatticeOptions
{
    /// <summary>Latent size d of the user and item ID embeddings (reference: 64).</summary>
    public int EmbeddingSize { get; init; } = 64;

    /// <summary>Width of the modality projections whose cosine kNN graph is learned (reference: 64).</summary>
    public int FeatEmbedDim { get; init; } = 64;

    /// <summary>Layer widths of the user–item encoder; with cf_model lightgcn only their count matters: the number
    /// of propagation layers (reference: [64, 64], hence 2).</summary>
    public IReadOnlyList<int> WeightSize { get; init; } = [64, 64];

    /// <summary>Weight λ of the frozen item graph; the learned one gets 1 − λ (reference: 0.9).</summary>
    public double LambdaCoeff { get; init; } = 0.9;

    /// <summary>Neighbours kept per item in the kNN graphs, self included (reference: 10).</summary>
    public int KnnK { get; init; } = 10;

    /// <summary>Propagations of the item ID embeddings over the item–item graph (reference: 1).</summary>
    public int NLayers { get; init; } = 1;

    /// <summary>User–item encoder: only "lightgcn", the reference's setting, is implemented.</summary>
    public string CfModel { get; init; } = "lightgcn";

    /// <summary>Weight of the squared-L2 regulariser of the batch's final embeddings (reference grid: 0, 1e-5, 1e-4, 1e-3).</summary>
    public double RegWeight { get; init; } = 1e-3;

    /// <summary>Modalities to use: null = every feature file present; at least one is needed.</summary>
    public IReadOnlyList<string>? Modalities { get; init; }
}
