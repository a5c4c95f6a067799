// Hyperparameters of GRCN (configs/model/GRCN.yaml documents each key).
namespace MultiRec.Models.Grcn;

/// <summary>GRCN settings; defaults are the reference's (MMRec GRCN.yaml and the values grcn.py hard-codes). Not
/// keys, because the reference's code fixes them: add aggregation, the 'confid' edge weighting with pruning (relu),
/// concatenating fusion, normalised inputs, no activations, no edge dropout.</summary>
public sealed record GrcnOptions
{
    /// <summary>Width d of the ID embedding refined by the weighted graph (reference: 64).</summary>
    public int EmbeddingSize { get; init; } = 64;

    /// <summary>Width d_C of each modality's content representation: user preference and feature projection
    /// (reference: 64).</summary>
    public int LatentEmbedding { get; init; } = 64;

    /// <summary>Routing iterations of each content graph (reference: 3). On the reference's one-directional edge list
    /// an iteration only re-normalises the user preference, so this changes results at the last bit only.</summary>
    public int NLayers { get; init; } = 3;

    /// <summary>Weight λ of the mean-square regulariser on the batch rows of the ID embedding and of the user
    /// preferences (the reference ships only its grid: 0.1 … 1e-5; here 1e-3, its middle).</summary>
    public double RegWeight { get; init; } = 1e-3;

    /// <summary>Score from the representation cached by the last training forward, one optimizer step behind the
    /// weights, as the reference does (true); false recomputes it from the current weights.</summary>
    public bool StaleScores { get; init; } = true;

    /// <summary>Modalities with a content graph (image, text): null = every feature file present; at least one is
    /// needed.</summary>
    public IReadOnlyList<string>? Modalities { get; init; }
}
