// Options and checkpointable state of the Adam optimiser.
namespace MultiRec.Engine;

/// <summary>Adam hyper-parameters, defaulting to torch.optim.Adam's (and BM3's: lr 1e-3, no weight decay).</summary>
internal sealed record AdamOptions
{
    /// <summary>Learning rate. Default 1e-3.</summary>
    public float Lr { get; init; } = 1e-3f;

    /// <summary>Decay of the first moment. Default 0.9.</summary>
    public float Beta1 { get; init; } = 0.9f;

    /// <summary>Decay of the second moment. Default 0.999.</summary>
    public float Beta2 { get; init; } = 0.999f;

    /// <summary>Added to sqrt(v̂) in the denominator (after the square root, as PyTorch does). Default 1e-8.</summary>
    public float Eps { get; init; } = 1e-8f;

    /// <summary>L2 penalty added to the gradient (g += wd * p) before the moments, as torch.optim.Adam does
    /// (not decoupled AdamW). Default 0.</summary>
    public float WeightDecay { get; init; }

    /// <summary>Lazy variant, off by default: rows whose gradient row is entirely zero are skipped (their moments and
    /// values stay as they are). This is NOT PyTorch's Adam, which keeps moving such rows by momentum.</summary>
    public bool SkipZeroGradRows { get; init; }
}

/// <summary>Adam's moments for one parameter (torch's exp_avg and exp_avg_sq), same shape as the parameter.</summary>
internal sealed record AdamMoments(string Name, Tensor ExpAvg, Tensor ExpAvgSq);

/// <summary>Adam's checkpointable state: the step count and the moments of every parameter, in parameter order.</summary>
internal sealed record AdamState(long Step, IReadOnlyList<AdamMoments> Moments);
