// Request and response bodies that only the HTTP API has (the result shapes live in MultiRec.Serving).
using System.Text.Json.Serialization;
using MultiRec.Serving;

namespace MultiRec.Server;

/// <summary>POST /v1/recommendations body: {"user_ids": [...], "k": 10, "exclude_seen": true}; k and
/// exclude_seen are optional.</summary>
public sealed record BatchRecommendationRequest
{
    public List<string?>? UserIds { get; init; }

    public int? K { get; init; }

    public bool? ExcludeSeen { get; init; }
}

/// <summary>POST /v1/recommendations response: one result per requested user, in request order.</summary>
public sealed record BatchRecommendationResponse(UserRecommendations[] Results);

/// <summary>GET /healthz response.</summary>
public sealed record HealthResponse(string Status, int Users, int Items, int Dims, bool OriginalIds);

/// <summary>Source-generated JSON (snake_case) for the API-only bodies. Unknown request properties are errors.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(BatchRecommendationRequest))]
[JsonSerializable(typeof(BatchRecommendationResponse))]
[JsonSerializable(typeof(HealthResponse))]
public sealed partial class ServerJsonContext : JsonSerializerContext;
