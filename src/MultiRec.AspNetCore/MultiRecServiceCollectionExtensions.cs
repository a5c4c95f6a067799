// builder.Services.AddMultiRec(o => o.RunFolder = ...): the recommender in DI, its options and the folder watcher.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MultiRec.AspNetCore;

/// <summary>Registers MultiRec in an application's services.</summary>
public static class MultiRecServiceCollectionExtensions
{
    /// <summary>Registers <see cref="IRecommender"/> and <see cref="ReloadableRecommender"/> (one singleton,
    /// loaded from <see cref="MultiRecOptions.RunFolder"/> when first resolved) and, unless
    /// <see cref="MultiRecOptions.WatchRunFolder"/> is off, a hosted service that reloads the model when the run
    /// folder changes. Map the HTTP API with <see cref="MultiRecEndpointRouteBuilderExtensions.MapMultiRecEndpoints"/>.</summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configure">Sets the options; <see cref="MultiRecOptions.RunFolder"/> is required.</param>
    public static IServiceCollection AddMultiRec(this IServiceCollection services, Action<MultiRecOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.Configure(configure);
        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<MultiRecOptions>>().Value;
            options.Validate();
            var folder = options.RunFolder;
            if (string.IsNullOrWhiteSpace(folder))
            {
                throw new InvalidOperationException("MultiRecOptions.RunFolder is not set: AddMultiRec(o => o.RunFolder = \"path/to/run\")");
            }

            RecommenderRun Load() => RecommenderRun.Load(folder, options.LoadOptions);
            return new ReloadableRecommender(Load().WarmUp(), Load);
        });
        services.TryAddSingleton<IRecommender>(provider => provider.GetRequiredService<ReloadableRecommender>());
        services.AddHostedService<RunFolderWatcher>();
        return services;
    }

    /// <summary>Registers an already built recommender (no run folder to reload from): the standalone server over a
    /// model loaded by its caller.</summary>
    internal static IServiceCollection AddMultiRecWith(this IServiceCollection services, ReloadableRecommender recommender, Action<MultiRecOptions> configure)
    {
        services.Configure(configure);
        services.AddSingleton(recommender);
        services.AddSingleton<IRecommender>(recommender);
        services.AddHostedService<RunFolderWatcher>();
        return services;
    }
}
