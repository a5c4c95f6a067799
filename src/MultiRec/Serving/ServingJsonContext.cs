// System.Text.Json source generation for the serving result shapes (snake_case, as the HTTP API writes them).
using System.Text.Json.Serialization;

namespace MultiRec.Serving;

/// <summary>Source-generated JSON (snake_case names) for the result shapes.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(UserRecommendations))]
[JsonSerializable(typeof(SimilarItems))]
[JsonSerializable(typeof(UserRecommendations[]))]
internal sealed partial class ServingJsonContext : JsonSerializerContext;
