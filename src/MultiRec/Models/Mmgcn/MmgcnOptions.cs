// Hyperparameters of MMGCN (configs/model/MMGCN.yaml documents each key).
using MultiRec.Config;

namespace MultiRec.Models.Mmgcn;

/// <summary>MMGCN settings; defaults are the reference's (MMRec MMGCN.yaml and mmgcn.py). Not keys, because the
/// reference's code fixes them: three graph layers (its yaml's n_layers 2 is read and ignored), mean aggregation,
/// the concatenating g-layers (its `concate = 'False'` is a non-empty string, hence true) and the ID term in every
/// layer (has_id true).</summary>
public sealed record MmgcnOptions
{
    /// <summary>Width d of the ID embedding and of every layer output (reference: 64).</summary>
    [ConfigRange(1, 4096)]
    public int EmbeddingSize { get; init; } = 64;

    /// <summary>Width of the image modality after its input projection (the reference hard-codes 256); the text
    /// modality has no projection and propagates its raw features.</summary>
    [ConfigRange(1, 65536)]
    public int DimLatent { get; init; } = 256;

    /// <summary>Weight λ of the mean-square term on the untrained ID embedding and image preferences (reference grid
    /// 0 … 0.1; default 1e-4). It changes the reported loss only: those tensors are not trained, so the term has no
    /// gradient and every λ trains identically.</summary>
    [ConfigRange(0, 1000)]
    public double RegWeight { get; init; } = 1e-4;

    /// <summary>Score with the representation cached by the last training forward pass, one optimizer step behind
    /// the weights, as the reference does (true); false recomputes it from the current weights.</summary>
    public bool StaleScoring { get; init; } = true;

    /// <summary>Modalities with a graph branch, each its own (image, text): null = every feature file present; at
    /// least one is needed.</summary>
    public IReadOnlyList<string>? Modalities { get; init; }
}
