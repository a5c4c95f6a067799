// Request and response bodies that only the HTTP API has (the result shapes live in MultiRec.Serving).
using System.Text.Json.Serialization;
using MultiRec.Serving;

namespace MultiRec.AspNetCore;

/// <summary>POST /v1/recommendations body: {"user_ids": [...], "k": 10, "exclude_seen": true}; k and
/// exclude_seen are optional.</summary>
public sealed record BatchRecommendationRequest
{
    /// <summary>The users, by original id (1 to the configured maximum).</summary>
    [JsonPropertyName("user_ids")]
    public List<string?>? UserIds { get; init; }

    /// <summary>Items per user; default the configured default k.</summary>
    [JsonPropertyName("k")]
    public int? K { get; init; }

    /// <summary>Remove the users' known interactions (as configured); default true.</summary>
    [JsonPropertyName("exclude_seen")]
    public bool? ExcludeSeen { get; init; }
}

/// <summary>POST /v1/recommendations response: one result per requested user, in request order.</summary>
/// <param name="Results">One entry per requested user id.</param>
public sealed record BatchRecommendationResponse([property: JsonPropertyName("results")] UserRecommendations[] Results);

/// <summary>GET /healthz response.</summary>
/// <param name="Status">"ok".</param>
/// <param name="Users">Users of the loaded model.</param>
/// <param name="Items">Items of the loaded model.</param>
/// <param name="Dims">Embedding size.</param>
/// <param name="OriginalIds">Whether ids are original ids (from the dataset's id maps).</param>
public sealed record HealthResponse(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("users")] int Users,
    [property: JsonPropertyName("items")] int Items,
    [property: JsonPropertyName("dims")] int Dims,
    [property: JsonPropertyName("original_ids")] bool OriginalIds);

/// <summary>POST /v1/admin/reload response: the model now loaded.</summary>
/// <param name="Status">"reloaded".</param>
/// <param name="Generation">How many times a model has been loaded (1 for the first).</param>
/// <param name="Users">Users of the loaded model.</param>
/// <param name="Items">Items of the loaded model.</param>
public sealed record ReloadResponse(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("generation")] long Generation,
    [property: JsonPropertyName("users")] int Users,
    [property: JsonPropertyName("items")] int Items);

/// <summary>Source-generated JSON (snake_case) for the API-only bodies. Unknown request properties are errors.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(BatchRecommendationRequest))]
[JsonSerializable(typeof(BatchRecommendationResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(ReloadResponse))]
internal sealed partial class ServerJsonContext : JsonSerializerContext;
