// The recommendation contract applications call: a user's top-K, a batch of users, an item's similar items.
using MultiRec.Serving;

namespace MultiRec;

/// <summary>Answers recommendation queries by original (external) user and item ids. Implementations are
/// thread-safe. <see cref="RecommenderRun"/> implements it over one loaded run folder; the ASP.NET Core package
/// registers one in dependency injection that can swap to a newer run folder without a restart.</summary>
public interface IRecommender
{
    /// <summary>What is loaded: model, run folder, users, items and embedding size.</summary>
    RecommenderInfo Info { get; }

    /// <summary>Whether <paramref name="userId"/> is a known user.</summary>
    bool ContainsUser(string userId);

    /// <summary>Whether <paramref name="itemId"/> is a known item.</summary>
    bool ContainsItem(string itemId);

    /// <summary>A user's top <paramref name="k"/> items, best first, without the interactions
    /// <paramref name="exclude"/> names (default: the user's training items).</summary>
    /// <exception cref="KeyNotFoundException">The user id is unknown.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is below 1.</exception>
    UserRecommendations Recommend(string userId, int k = 10, ExcludeMode exclude = ExcludeMode.Train);

    /// <summary>The top <paramref name="k"/> of several users, in request order.</summary>
    /// <exception cref="KeyNotFoundException">An id is unknown (the message lists the unknown ids).</exception>
    IReadOnlyList<UserRecommendations> RecommendBatch(IReadOnlyList<string> userIds, int k = 10, ExcludeMode exclude = ExcludeMode.Train);

    /// <summary>The <paramref name="k"/> items most similar to an item (cosine of the item embeddings), best
    /// first, the item itself excluded.</summary>
    /// <exception cref="KeyNotFoundException">The item id is unknown.</exception>
    SimilarItems Similar(string itemId, int k = 10);
}

/// <summary>Describes a loaded model.</summary>
/// <param name="Model">Model name (e.g. BM3), or an empty string when the run does not say.</param>
/// <param name="RunFolder">Absolute path of the run folder, or null for a model built in memory.</param>
/// <param name="Users">Number of users.</param>
/// <param name="Items">Number of items.</param>
/// <param name="Dimensions">Size of the scoring embeddings.</param>
/// <param name="OriginalIds">Whether ids are the dataset's original ids (from u_id_mapping.csv / i_id_mapping.csv)
/// rather than internal row numbers.</param>
public sealed record RecommenderInfo(string Model, string? RunFolder, int Users, int Items, int Dimensions, bool OriginalIds);
