// POST /v1/admin/reload: swaps in the run folder's current model; mapped only when the server requires an API key.
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MultiRec.AspNetCore;

/// <summary>Operator endpoints of the standalone server.</summary>
internal static class AdminEndpoints
{
    public static void MapReload(RouteGroupBuilder v1, ReloadableRecommender recommender)
    {
        v1.MapPost("/admin/reload", Results<Ok<ReloadResponse>, ProblemHttpResult> () =>
        {
            try
            {
                var generation = recommender.Reload();
                var info = recommender.Info;
                return TypedResults.Ok(new ReloadResponse("reloaded", generation, info.Users, info.Items));
            }
            catch (Exception e) when (e is MultiRec.Data.DataFormatException or IOException or InvalidOperationException or MultiRec.Config.ConfigException)
            {
                return ApiProblems.Status(StatusCodes.Status409Conflict, $"reload failed, the previous model keeps serving: {e.Message}");
            }
        })
        .ProducesProblem(StatusCodes.Status409Conflict)
        .WithTags("admin")
        .WithName("ReloadModel")
        .WithSummary("Reload the model from the run folder")
        .WithDescription("Loads the run folder again (e.g. after a retrain) and swaps the new model in atomically; requests in flight finish on the old one.");
    }
}
