// The loss blocks the BPR-family baselines share (baselines-reference §2.5): BPRLoss, logsigmoid BPR, log∘sigmoid BPR
// and EmbLoss.
using MultiRec.Engine.Autograd;

namespace MultiRec.Models.Common;

/// <summary>Pairwise ranking losses over score columns (B × 1) and the unsquared embedding-norm regulariser.</summary>
internal static class PairwiseLosses
{
    /// <summary>MMRec's BPRLoss: −mean_b log(1e-10 + σ(s⁺_b − s⁻_b)) (the epsilon inside the log).</summary>
    public static Variable Bpr(Tape t, Variable positive, Variable negative) =>
        t.Scale(t.MeanAll(t.LogOfEpsilonPlusSigmoid(t.Sub(positive, negative), 1e-10f)), -1f);

    /// <summary>The logsigmoid BPR (FREEDOM, LATTICE): −mean_b logsigmoid(s⁺_b − s⁻_b).</summary>
    public static Variable LogSigmoidBpr(Tape t, Variable positive, Variable negative) =>
        t.Scale(t.MeanAll(t.LogSigmoid(t.Sub(positive, negative))), -1f);

    /// <summary>The log∘sigmoid BPR (MMGCN, GRCN): −mean_b log(σ(s⁺_b − s⁻_b)) with no epsilon, so it reaches −log 0 =
    /// +inf once σ underflows, as the reference's torch.log(torch.sigmoid(·)).</summary>
    public static Variable LogOfSigmoidBpr(Tape t, Variable positive, Variable negative) =>
        t.Scale(t.MeanAll(t.LogOfEpsilonPlusSigmoid(t.Sub(positive, negative), 0f)), -1f);

    /// <summary>MMRec's EmbLoss: (Σ_k ‖X_k‖_F) / rows(X_last), unsquared Frobenius norms of whole matrices.</summary>
    public static Variable EmbLoss(Tape t, params Variable[] matrices)
    {
        var sum = t.FrobeniusNorm(matrices[0]);
        for (var k = 1; k < matrices.Length; k++)
        {
            sum = t.Add(sum, t.FrobeniusNorm(matrices[k]));
        }

        return t.Scale(sum, 1f / matrices[^1].Rows);
    }
}
