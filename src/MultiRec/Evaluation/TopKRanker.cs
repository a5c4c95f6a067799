// Top-K recommendation lists for chosen users, with excluded (e.g. training) items removed from the candidates.
using MultiRec.Data;
using MultiRec.Engine;

namespace MultiRec.Evaluation;

/// <summary>
/// Ranks all items for each given user by dot product and returns the K best, best first, with equal scores
/// ordered by lower item id first. Unlike the evaluator, excluded items are removed from the candidates rather
/// than scored -1e10, so a user with fewer than K candidates gets fewer than K items (padded with item -1 and
/// score NaN). Used by recommend, export and serve.
/// </summary>
internal static class TopKRanker
{
    /// <summary>Default bound on the bytes of one thread's tile of scores (see <see cref="EvaluationOptions.MaxScoreBlockBytes"/>).</summary>
    public const int DefaultMaxScoreBlockBytes = 1 << 20;

    /// <summary>Writes user i's top-K item ids to itemsOut[i*k .. i*k+k) and their scores to scoresOut likewise.</summary>
    public static void Rank(
        Tensor userEmbeddings, Tensor itemEmbeddings, ReadOnlySpan<int> users, int k, UserItemCsr? exclude, Span<int> itemsOut, Span<float> scoresOut) =>
        Rank(userEmbeddings, itemEmbeddings, users, k, exclude, itemsOut, scoresOut, DefaultMaxScoreBlockBytes);

    /// <summary><see cref="Rank(Tensor, Tensor, ReadOnlySpan{int}, int, UserItemCsr?, Span{int}, Span{float})"/> with
    /// an explicit per-thread score-tile budget (tests force small tiles with it).</summary>
    internal static void Rank(
        Tensor userEmbeddings, Tensor itemEmbeddings, ReadOnlySpan<int> users, int k, UserItemCsr? exclude, Span<int> itemsOut, Span<float> scoresOut,
        int maxScoreBlockBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxScoreBlockBytes, 1);
        EmbeddingChecks.RequireSameWidth(userEmbeddings, itemEmbeddings);
        if (exclude is not null)
        {
            EmbeddingChecks.RequireMatches(exclude, userEmbeddings, itemEmbeddings, nameof(exclude));
        }

        var needed = (long)users.Length * k;
        if (itemsOut.Length < needed || scoresOut.Length < needed)
        {
            throw new ArgumentException($"output spans must hold users x k = {needed} entries");
        }

        foreach (var user in users)
        {
            if ((uint)user >= (uint)userEmbeddings.Rows)
            {
                throw new ArgumentOutOfRangeException(nameof(users), $"user {user} is outside 0..{userEmbeddings.Rows - 1}");
            }
        }

        var userList = users.ToArray();
        var panels = new ItemPanels(itemEmbeddings, Gemm.Kernel);
        var tileUsers = UserTiles.UsersPerTile(panels, maxScoreBlockBytes);
        var rankedItems = new int[userList.Length * k];
        var rankedScores = new float[userList.Length * k];
        UserTiles.ForEach(
            userList,
            tileUsers,
            () => (Scorer: new UserTileScorer(panels, tileUsers), Selector: new TopKSelector(k)),
            (workspace, first, tileUserIds) =>
            {
                workspace.Scorer.Score(userEmbeddings, tileUserIds);
                for (var r = 0; r < tileUserIds.Length; r++)
                {
                    var user = tileUserIds[r];
                    var excluded = exclude is not null && user < exclude.Users ? exclude.ItemsOf(user) : [];
                    workspace.Selector.OfferRow(workspace.Scorer.Row(r), excluded);
                    var items = rankedItems.AsSpan((first + r) * k, k);
                    var values = rankedScores.AsSpan((first + r) * k, k);
                    var n = workspace.Selector.DrainSorted(items, values);
                    items[n..].Fill(-1);
                    values[n..].Fill(float.NaN);
                }
            });

        rankedItems.CopyTo(itemsOut);
        rankedScores.CopyTo(scoresOut);
    }
}
