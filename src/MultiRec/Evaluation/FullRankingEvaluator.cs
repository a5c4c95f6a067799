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
/// Each thread takes tiles of up to <see cref="UserTiles.MaxUsers"/> users: <see cref="UserTileScorer"/> scores them into a
/// cache-sized buffer, then every row is masked, ranked by <see cref="RowTopK"/> and scored by
/// <see cref="RankedListMetrics"/> while still hot; no users x items block of scores is ever held.
/// </summary>
internal static class FullRankingEvaluator
{
    /// <summary>The score written over masked items, as in the reference (<c>scores[mask] = -1e10</c>).</summary>
    public const float MaskedScore = -1e10f;

    /// <summary>Evaluates the ranking induced by user x item dot products against the held-out items of
    /// <paramref name="target"/>. Users with no held-out item are not evaluated. With no evaluated user,
    /// every metric is 0 and <see cref="MetricSet.UsersEvaluated"/> is 0.</summary>
    public static MetricSet Evaluate(
        Tensor userEmbeddings, Tensor itemEmbeddings, UserItemCsr trainMask, UserItemCsr target, EvaluationOptions? options = null) =>
        EvaluateMany(userEmbeddings, itemEmbeddings, trainMask, [target], options)[0];

    /// <summary>Evaluates several held-out splits (e.g. valid and test) with one scoring pass: each user's
    /// top-K under the same mask is ranked once and scored against every split the user has items in.
    /// Each result equals <see cref="Evaluate"/> on that split alone.</summary>
    public static MetricSet[] EvaluateMany(
        Tensor userEmbeddings, Tensor itemEmbeddings, UserItemCsr trainMask, IReadOnlyList<UserItemCsr> targets, EvaluationOptions? options = null)
    {
        options ??= new EvaluationOptions();
        foreach (var target in targets)
        {
            Validate(userEmbeddings, itemEmbeddings, trainMask, target, options);
        }

        var ks = options.Ks.Distinct().Order().ToArray();
        var kMax = ks[^1];
        var metricsPerUser = RankingMetrics.Names.Count * ks.Length;
        var perTargetUsers = targets.Select(t => t.NonEmptyUsers()).ToArray();
        var users = UnionOfSorted(perTargetUsers, userEmbeddings.Rows);
        var perUser = new double[targets.Count][];
        var slot = new int[targets.Count][]; // target t: position of users[i] in perTargetUsers[t], or -1
        for (var t = 0; t < targets.Count; t++)
        {
            perUser[t] = new double[perTargetUsers[t].Length * metricsPerUser];
            slot[t] = new int[users.Length];
            for (int i = 0, j = 0; i < users.Length; i++)
            {
                slot[t][i] = j < perTargetUsers[t].Length && perTargetUsers[t][j] == users[i] ? j++ : -1;
            }
        }

        var extraMask = options.ExtraMask;
        var metrics = new RankedListMetrics(ks);
        var items = new ItemPanels(itemEmbeddings, Gemm.Kernel);
        var tileUsers = UserTiles.UsersPerTile(items, options.MaxScoreBlockBytes);
        UserTiles.ForEach(
            users,
            tileUsers,
            () => new Workspace(items, tileUsers, kMax),
            (workspace, first, tileUserIds) =>
            {
                workspace.Scorer.Score(userEmbeddings, tileUserIds);
                for (var r = 0; r < tileUserIds.Length; r++)
                {
                    var user = tileUserIds[r];
                    var row = workspace.Scorer.Row(r);
                    Mask(row, trainMask, user);
                    if (extraMask is not null)
                    {
                        Mask(row, extraMask, user);
                    }

                    var ranked = workspace.TopK.Select(row, workspace.Items, workspace.Scores);
                    for (var t = 0; t < targets.Count; t++)
                    {
                        var position = slot[t][first + r];
                        if (position >= 0)
                        {
                            metrics.Compute(
                                workspace.Items.AsSpan(0, ranked), targets[t].ItemsOf(user), perUser[t].AsSpan(position * metricsPerUser, metricsPerUser));
                        }
                    }
                }
            });

        var results = new MetricSet[targets.Count];
        for (var t = 0; t < targets.Count; t++)
        {
            // Sum in user order so the result does not depend on thread scheduling.
            var n = perTargetUsers[t].Length;
            var means = new double[metricsPerUser];
            for (var u = 0; u < n; u++)
            {
                var values = perUser[t].AsSpan(u * metricsPerUser, metricsPerUser);
                for (var j = 0; j < metricsPerUser; j++)
                {
                    means[j] += values[j];
                }
            }

            if (n > 0)
            {
                for (var j = 0; j < metricsPerUser; j++)
                {
                    means[j] /= n;
                }
            }

            results[t] = new MetricSet(ks, means, n, perTargetUsers[t], perUser[t]);
        }

        return results;
    }

    /// <summary>The ascending union of ascending lists of user ids below <paramref name="users"/> (one linear pass).</summary>
    private static int[] UnionOfSorted(int[][] lists, int users)
    {
        var present = new bool[users];
        var count = 0;
        foreach (var list in lists)
        {
            foreach (var u in list)
            {
                count += present[u] ? 0 : 1;
                present[u] = true;
            }
        }

        var union = new int[count];
        for (int u = 0, k = 0; u < users; u++)
        {
            if (present[u])
            {
                union[k++] = u;
            }
        }

        return union;
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

    /// <summary>Per-thread buffers: a tile of scores and one user's ranking.</summary>
    private sealed class Workspace(ItemPanels items, int tileUsers, int k)
    {
        public UserTileScorer Scorer { get; } = new(items, tileUsers);

        public RowTopK TopK { get; } = new(k, items.Items);

        public int[] Items { get; } = new int[k];

        public float[] Scores { get; } = new float[k];

    }
}
