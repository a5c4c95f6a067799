// Result shapes shared by `multirec recommend --json` and the HTTP API, with original ids, and how to build them.
using System.Text.Json.Serialization;

namespace MultiRec.Serving;

/// <summary>One ranked item by original id.</summary>
public readonly record struct ItemScore([property: JsonPropertyName("item_id")] string ItemId, [property: JsonPropertyName("score")] float Score);

/// <summary>A user's recommendations: JSON {"user_id", "k", "exclude", "items": [{"item_id", "score"}]}.</summary>
public sealed record UserRecommendations(
    [property: JsonPropertyName("user_id")] string UserId,
    [property: JsonPropertyName("k")] int K,
    [property: JsonPropertyName("exclude")] string Exclude,
    [property: JsonPropertyName("items")] ItemScore[] Items);

/// <summary>An item's most similar items: JSON {"item_id", "k", "items": [{"item_id", "score"}]}.</summary>
public sealed record SimilarItems(
    [property: JsonPropertyName("item_id")] string ItemId,
    [property: JsonPropertyName("k")] int K,
    [property: JsonPropertyName("items")] ItemScore[] Items);

/// <summary>Builds result objects from internal ids; the only allocations are the results themselves.</summary>
public static class RecommendationResults
{
    private const int StackLimit = 1024;

    /// <summary>Top-K for an internal user id.</summary>
    public static UserRecommendations ForUser(Recommender recommender, int user, int k, ExcludeMode exclude)
    {
        var model = recommender.Model;
        var n = Math.Min(k, model.Items);
        Span<int> items = n <= StackLimit ? stackalloc int[n] : new int[n];
        Span<float> scores = n <= StackLimit ? stackalloc float[n] : new float[n];
        var count = recommender.Recommend(user, k, exclude, items, scores);
        return new UserRecommendations(model.UserIds.ExternalId(user), k, ExcludeModes.Name(exclude), ToItemScores(model, items[..count], scores));
    }

    /// <summary>Most similar items for an internal item id.</summary>
    public static SimilarItems ForItem(Recommender recommender, int item, int k)
    {
        var model = recommender.Model;
        var n = Math.Min(k, model.Items);
        Span<int> items = n <= StackLimit ? stackalloc int[n] : new int[n];
        Span<float> scores = n <= StackLimit ? stackalloc float[n] : new float[n];
        var count = recommender.Similar(item, k, items, scores);
        return new SimilarItems(model.ItemIds.ExternalId(item), k, ToItemScores(model, items[..count], scores));
    }

    private static ItemScore[] ToItemScores(ServingModel model, ReadOnlySpan<int> items, ReadOnlySpan<float> scores)
    {
        var result = new ItemScore[items.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new ItemScore(model.ItemIds.ExternalId(items[i]), scores[i]);
        }

        return result;
    }
}
