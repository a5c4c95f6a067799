// Hyperparameters of SLMRec (configs/model/SLMRec.yaml documents each key).
namespace MultiRec.Models.SlmRec;

/// <summary>SLMRec settings; defaults are the reference's (MMRec SLMRec.yaml; its recdim and layer_num are spelled
/// embedding_size and n_layers here, as for every MultiRec model; the other keys as there). Its ssl_temp and
/// ssl_alpha are grid axes only there (no published best value); their defaults here are ssl_temp 0.2 (the same as
/// temp) and ssl_alpha 0.1 (the middle of its grid). The reference's weight_decay 1e-4 is a training key, set in
/// configs/model/SLMRec.yaml; its `reg` grid axis is read by no code and is not a key here.</summary>
public sealed record SlmRecOptions
{
    /// <summary>Latent size d (reference: 64; must be even: the text alignment head is d/2 wide).</summary>
    public int EmbeddingSize { get; init; } = 64;

    /// <summary>LightGCN layers of each of the ID, image and text propagations (reference: 3).</summary>
    public int NLayers { get; init; } = 3;

    /// <summary>Temperature of the main in-batch InfoNCE over normalised user and item vectors (reference: 0.2).</summary>
    public double Temp { get; init; } = 0.2;

    /// <summary>Temperature of the self-supervised FAC terms (reference grid: 0.1, 0.2, 0.5, 1.0).</summary>
    public double SslTemp { get; init; } = 0.2;

    /// <summary>Weight of the self-supervised loss (reference grid: 0.01, 0.05, 0.1, 0.5, 1.0).</summary>
    public double SslAlpha { get; init; } = 0.1;

    /// <summary>Self-supervised task; only "FAC" (fine and coarse alignment, the reference default) is implemented.</summary>
    public string SslTask { get; init; } = "FAC";

    /// <summary>How the ID, image and text views are fused; only "concat" (the reference default) is implemented.</summary>
    public string MmFusionMode { get; init; } = "concat";

    /// <summary>Score with the user and item vectors of the last training forward (the reference's stale cache,
    /// one optimizer step behind; baselines-reference §2.4); false recomputes them from the current weights.</summary>
    public bool StaleScores { get; init; } = true;

    /// <summary>Modalities to use: null = every feature file present; none at all trains the ID view alone.</summary>
    public IReadOnlyList<string>? Modalities { get; init; }
}
