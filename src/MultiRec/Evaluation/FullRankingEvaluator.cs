// Full-ranking evaluation exactly as MMRec: score every item, mask training items at -1e10, top-K, mean metrics.
using MultiRec.Data;
using MultiRec.Engine;

namespace MultiRec.Evaluation;

/// <summary>
/// The MMRec evaluation protocol. Each user with at least one held-out item is scored against all items
/// (dot product of embeddings); the user's training items (and <see cref="EvaluationOptions.ExtraMask"/>, if set)
/// get the score -1e10, so they stay in the ranking but below every real score and reach the top K only when
/// fewer than K items are unmasked. The top max(Ks) items are kept, equal scores ordered by lower item id first.
/// A ranked item is a hit when it is in the user's held-out set; per-user Recall, NDCG, Precision and MAP
/// (see <see cref="RankingMetrics"/>) are averaged over the evaluated users.
/// </summary>
public static class FullRankingEvaluator
{
    /// <summary>The score written over masked items, as in the reference (<c>scores[mask] = -1e10</c>).</summary>
    public const float MaskedScore = -1e10f;

    /// <summary>Evaluates the ranking induced by user x item dot products against the held-out items of
    /// <paramref name="target"/>. Users with no held-out item are not evaluated. With no evaluated user,
    /// every metric is 0 and <see cref="MetricSet.UsersEvaluated"/> is 0.</summary>
    public static MetricSet Evaluate(
        Tensor userEmbeddings, Tensor itemEmbeddings, UserItemCsr trainMask, UserItemCsr target, EvaluationOptions? options = null)
    {
        options ??= new EvaluationOptions();
        Validate(userEmbeddings, itemEmbeddings, trainMask, target, options);
        var ks = options.Ks.Distinct().Order().ToArray();
        var kMax = ks[^1];
        var metricsPerUser = RankingMetrics.Names.Count * ks.Length;
        var users = target.NonEmptyUsers();
        var perUser = new double[users.Length * metricsPerUser];
        var extraMask = options.ExtraMask;

        foreach (var (start, count, scores) in ScoreBlocks.Enumerate(userEmbeddings, itemEmbeddings, users, options.MaxScoreBlockBytes))
        {
            Parallel.For(
                0,
                count,
                ComputeSettings.ParallelOptions,
                () => new Workspace(kMax),
                (r, _, workspace) =>
                {
                    var user = users[start + r];
                    var row = scores.Row(r);
                    Mask(row, trainMask, user);
                    if (extraMask is not null)
                    {
                        Mask(row, extraMask, user);
                    }

                    workspace.Selector.OfferRange(row, 0);
                    var ranked = workspace.Selector.DrainSorted(workspace.Items, workspace.Scores);
                    var heldOut = target.ItemsOf(user);
                    for (var i = 0; i < ranked; i++)
                    {
                        workspace.Hits[i] = heldOut.BinarySearch(workspace.Items[i]) >= 0;
                    }

                    var hits = workspace.Hits.AsSpan(0, ranked);
                    var output = perUser.AsSpan((start + r) * metricsPerUser, metricsPerUser);
                    for (var m = 0; m < RankingMetrics.Names.Count; m++)
                    {
                        for (var ki = 0; ki < ks.Length; ki++)
                        {
                            output[(m * ks.Length) + ki] = RankingMetrics.Compute(RankingMetrics.Names[m], hits, heldOut.Length, ks[ki]);
                        }
                    }

                    return workspace;
                },
                _ => { });
        }

        // Sum in user order so the result does not depend on thread scheduling.
        var means = new double[metricsPerUser];
        for (var u = 0; u < users.Length; u++)
        {
            var values = perUser.AsSpan(u * metricsPerUser, metricsPerUser);
            for (var j = 0; j < metricsPerUser; j++)
            {
                means[j] += values[j];
            }
        }

        if (users.Length > 0)
        {
            for (var j = 0; j < metricsPerUser; j++)
            {
                means[j] /= users.Length;
            }
        }

        return new MetricSet(ks, means, users.Length);
    }

    private static void Mask(Span<float> row, UserItemCsr mask, int user)
    {
        if (user >= mask.Users)
        {
            return;
        }

        foreach (var item in mask.ItemsOf(user))
        {
            row[item] = MaskedScore;
        }
    }

    private static void Validate(Tensor userEmbeddings, Tensor itemEmbeddings, UserItemCsr trainMask, UserItemCsr target, EvaluationOptions options)
    {
        EmbeddingChecks.RequireSameWidth(userEmbeddings, itemEmbeddings);
        EmbeddingChecks.RequireMatches(trainMask, userEmbeddings, itemEmbeddings, nameof(trainMask));
        EmbeddingChecks.RequireMatches(target, userEmbeddings, itemEmbeddings, nameof(target));
        if (options.ExtraMask is not null)
        {
            EmbeddingChecks.RequireMatches(options.ExtraMask, userEmbeddings, itemEmbeddings, nameof(options.ExtraMask));
        }

        if (options.Ks.Count == 0 || options.Ks.Any(k => k < 1))
        {
            throw new ArgumentException($"Ks must be a non-empty list of cut-offs >= 1 (got [{string.Join(", ", options.Ks)}])", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxScoreBlockBytes, 1, nameof(options.MaxScoreBlockBytes));
    }

    /// <summary>Per-thread buffers for one user's ranking.</summary>
    private sealed class Workspace(int k)
    {
        public TopKSelector Selector { get; } = new(k);

        public int[] Items { get; } = new int[k];

        public float[] Scores { get; } = new float[k];

        public bool[] Hits { get; } = new bool[k];
    }
}
