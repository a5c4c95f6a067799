// Options of the full-ranking evaluator: cut-offs, an optional extra mask and the per-thread score-tile budget.
using MultiRec.Data;

namespace MultiRec.Evaluation;

/// <summary>Settings of <see cref="FullRankingEvaluator"/>. The defaults reproduce the MMRec protocol.</summary>
public sealed record EvaluationOptions
{
    /// <summary>Cut-offs K at which every metric is reported. Default {5, 10, 20, 50}; the ranking keeps max(Ks) items.</summary>
    public IReadOnlyList<int> Ks { get; init; } = [5, 10, 20, 50];

    /// <summary>Items masked in addition to the training items (e.g. the validation items when testing).
    /// Default null: only training items are masked, as in the reference (validation items stay candidates at test time).</summary>
    public UserItemCsr? ExtraMask { get; init; }

    /// <summary>Upper bound on the bytes of one thread's tile of scores (users in the tile x items x 4, items
    /// rounded up to the kernel's panel width). Default 1 MiB; a tile holds at most 32 users, and at least one user
    /// whatever the budget (rounded up to the kernel's row group, 8 users with AVX-512).</summary>
    public int MaxScoreBlockBytes { get; init; } = 1 << 20;
}
