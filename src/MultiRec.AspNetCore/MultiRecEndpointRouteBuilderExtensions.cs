// app.MapMultiRecEndpoints("/v1"): the recommendation routes in an application's own pipeline.
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MultiRec.AspNetCore;

/// <summary>Maps the MultiRec HTTP API onto an application's routes.</summary>
public static class MultiRecEndpointRouteBuilderExtensions
{
    /// <summary>Maps <c>GET {prefix}/users/{id}/recommendations</c>, <c>GET {prefix}/users/recommendations?id=</c>,
    /// <c>POST {prefix}/recommendations</c>, <c>GET {prefix}/items/{id}/similar</c> and
    /// <c>GET {prefix}/items/similar?id=</c> over the <see cref="IRecommender"/> registered by
    /// <see cref="MultiRecServiceCollectionExtensions.AddMultiRec"/>. Bad input is answered with problem details
    /// (400, 404, 415), never a 500. The model is loaded here, so a bad run folder fails at startup.</summary>
    /// <param name="endpoints">The application (or a route group).</param>
    /// <param name="prefix">Route prefix; default "/v1".</param>
    /// <returns>The route group, to add the application's own authorization, rate limits or filters.</returns>
    public static RouteGroupBuilder MapMultiRecEndpoints(this IEndpointRouteBuilder endpoints, string prefix = "/v1")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        var holder = endpoints.ServiceProvider.GetService<ReloadableRecommender>()
            ?? throw new InvalidOperationException("MultiRec services are not registered: call builder.Services.AddMultiRec(o => o.RunFolder = ...) first");
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<MultiRecOptions>>().Value;
        options.Validate();
        return RecommendationEndpoints.Map(endpoints, prefix.TrimEnd('/'), holder, options);
    }
}
