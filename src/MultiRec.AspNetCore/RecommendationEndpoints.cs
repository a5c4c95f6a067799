// The /v1 routes: a user's recommendations, a batch of users, an item's similar items; and /healthz.
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using MultiRec.Serving;

namespace MultiRec.AspNetCore;

/// <summary>Maps the API onto a route builder. Handlers validate everything themselves and answer bad input
/// with problem details (400 bad value or body, 404 unknown id, 413 body too large, 415 body not declared as
/// JSON), never with a 500.</summary>
internal static class RecommendationEndpoints
{
    /// <summary>Maps the routes under <paramref name="prefix"/>. Every handler reads the holder's current model once
    /// and answers from it, so a reload never changes the model under a request.</summary>
    public static RouteGroupBuilder Map(IEndpointRouteBuilder routes, string prefix, ReloadableRecommender holder, MultiRecOptions options)
    {
        var v1 = routes.MapGroup(prefix).WithTags("recommendations");

        Results<Ok<UserRecommendations>, ProblemHttpResult> UserRecommendations(string? id, string? k, string? excludeSeen)
        {
            var recommender = holder.Current.Engine;
            var model = recommender.Model;
            if (!QueryParameters.TryParseK(k, options.DefaultK, options.MaxK, out var topK, out var error)
                || !QueryParameters.TryParseFlag("exclude_seen", excludeSeen, true, out var seen, out error))
            {
                return ApiProblems.BadRequest(error!);
            }

            if (id is null)
            {
                return ApiProblems.BadRequest("the query must give the user id: ?id=...");
            }

            if (!RouteIds.TryFind(model.UserIds, id, out var user))
            {
                return ApiProblems.NotFound($"unknown user '{ApiProblems.Clip(id)}'");
            }

            return TypedResults.Ok(RecommendationResults.ForUser(recommender, user, topK, seen ? options.Seen : ExcludeMode.None));
        }

        v1.MapGet("/users/{id}/recommendations", (string id, [FromQuery] string? k, [FromQuery(Name = "exclude_seen")] string? excludeSeen) =>
            UserRecommendations(id, k, excludeSeen))
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .WithName("GetUserRecommendations")
        .WithSummary("Top-K items for one user")
        .WithDescription("Items ranked by the model's score (user embedding · item embedding), best first. exclude_seen=true (default) removes the user's known interactions as configured at startup (default: training items). An id holding '/' may be sent percent-encoded (%2F) or through GET /v1/users/recommendations?id=...");

        v1.MapGet("/users/recommendations", ([FromQuery] string? id, [FromQuery] string? k, [FromQuery(Name = "exclude_seen")] string? excludeSeen) =>
            UserRecommendations(id, k, excludeSeen))
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .WithName("GetUserRecommendationsByQuery")
        .WithSummary("Top-K items for one user, the id in the query (?id=...)")
        .WithDescription("The same answer as GET /v1/users/{id}/recommendations, for ids that hold '/' or other characters a path segment cannot carry.");

        v1.MapPost("/recommendations", async Task<Results<Ok<BatchRecommendationResponse>, ProblemHttpResult>> (HttpRequest request) =>
        {
            if (!request.HasJsonContentType())
            {
                // Routing already refuses other declared types (Accepts metadata); this catches a missing Content-Type.
                return ApiProblems.UnsupportedMediaType("the body must be JSON (Content-Type: application/json)");
            }

            var recommender = holder.Current.Engine;
            var model = recommender.Model;
            BatchRecommendationRequest? body;
            try
            {
                body = await JsonSerializer.DeserializeAsync(request.Body, ServerJsonContext.Default.BatchRecommendationRequest, request.HttpContext.RequestAborted);
            }
            catch (JsonException e)
            {
                return ApiProblems.BadRequest(ApiProblems.MalformedJson(e));
            }
            catch (BadHttpRequestException e)
            {
                return ApiProblems.Status(e.StatusCode, e.Message);
            }

            if (body?.UserIds is not { } ids)
            {
                return ApiProblems.BadRequest("the body must be an object with a \"user_ids\" array of strings");
            }

            if (ids.Count == 0 || ids.Count > options.MaxBatchUsers)
            {
                return ApiProblems.BadRequest($"user_ids must hold 1..{options.MaxBatchUsers} ids (got {ids.Count})");
            }

            var topK = body.K ?? options.DefaultK;
            if (topK < 1 || topK > options.MaxK)
            {
                return ApiProblems.BadRequest($"k must be an integer in 1..{options.MaxK} (got {topK})");
            }

            if ((long)ids.Count * topK > options.MaxBatchEntries)
            {
                return ApiProblems.BadRequest($"request budget exceeded: {ids.Count} user_ids x k {topK} = {(long)ids.Count * topK} entries; the limit is {options.MaxBatchEntries} (ask for fewer users or a smaller k)");
            }

            var users = new int[ids.Count];
            List<string>? unknown = null;
            for (var i = 0; i < ids.Count; i++)
            {
                if (ids[i] is not { } id)
                {
                    return ApiProblems.BadRequest($"user_ids[{i}] is null: ids are strings");
                }

                if (!model.UserIds.TryGetInternalId(id, out users[i]))
                {
                    (unknown ??= []).Add(ApiProblems.Clip(id));
                }
            }

            if (unknown is not null)
            {
                return ApiProblems.NotFound($"unknown user(s): {string.Join(", ", unknown.Take(10).Select(u => $"'{u}'"))}{(unknown.Count > 10 ? $" and {unknown.Count - 10} more" : "")}");
            }

            var exclude = (body.ExcludeSeen ?? true) ? options.Seen : ExcludeMode.None;
            var results = new UserRecommendations[users.Length];
            for (var i = 0; i < users.Length; i++)
            {
                results[i] = RecommendationResults.ForUser(recommender, users[i], topK, exclude);
            }

            return TypedResults.Ok(new BatchRecommendationResponse(results));
        })
        .Accepts<BatchRecommendationRequest>("application/json")
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .WithName("PostBatchRecommendations")
        .WithSummary("Top-K items for a batch of users")
        .WithDescription("Body: {\"user_ids\": [...], \"k\": 10, \"exclude_seen\": true}. Results come in request order; any unknown id makes the whole request a 404 naming the unknown ids.");

        Results<Ok<SimilarItems>, ProblemHttpResult> Similar(string? id, string? k)
        {
            var recommender = holder.Current.Engine;
            var model = recommender.Model;
            if (!QueryParameters.TryParseK(k, options.DefaultK, options.MaxK, out var topK, out var error))
            {
                return ApiProblems.BadRequest(error!);
            }

            if (id is null)
            {
                return ApiProblems.BadRequest("the query must give the item id: ?id=...");
            }

            if (!RouteIds.TryFind(model.ItemIds, id, out var item))
            {
                return ApiProblems.NotFound($"unknown item '{ApiProblems.Clip(id)}'");
            }

            return TypedResults.Ok(RecommendationResults.ForItem(recommender, item, topK));
        }

        v1.MapGet("/items/similar", ([FromQuery] string? id, [FromQuery] string? k) => Similar(id, k))
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .WithName("GetSimilarItemsByQuery")
        .WithSummary("Items most similar to one item, the id in the query (?id=...)")
        .WithDescription("The same answer as GET /v1/items/{id}/similar, for ids that hold '/'.");

        v1.MapGet("/items/{id}/similar", (string id, [FromQuery] string? k) => Similar(id, k))
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .WithName("GetSimilarItems")
        .WithSummary("Items most similar to one item")
        .WithDescription("Cosine similarity of the item scoring embeddings, best first, the item itself excluded.");

        return v1;
    }

    /// <summary>GET /healthz: liveness and the current model's shape.</summary>
    public static void MapHealth(IEndpointRouteBuilder routes, ReloadableRecommender holder)
    {
        routes.MapGet("/healthz", () =>
        {
            var model = holder.Current.Model;
            return TypedResults.Ok(new HealthResponse("ok", model.Users, model.Items, model.Dims, !model.UserIds.IsIdentity || !model.ItemIds.IsIdentity));
        })
            .WithTags("health")
            .WithName("Health")
            .WithSummary("Liveness and the loaded model's shape");
    }
}
