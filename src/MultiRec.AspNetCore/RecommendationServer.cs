// Builds the Kestrel web application that serves a Recommender over HTTP (minimal API, OpenAPI, problem details).
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MultiRec.Serving;

namespace MultiRec.AspNetCore;

/// <summary>
/// The standalone HTTP API (`multirec serve`), a small host over this package's AddMultiRec and
/// MapMultiRecEndpoints: GET /v1/users/{id}/recommendations, POST /v1/recommendations, GET /v1/items/{id}/similar,
/// GET /healthz and the OpenAPI document at /openapi/v1.json, with optional API-key authentication and HTTPS. The
/// model is read-only and shared by all requests; a reload swaps it atomically. Every error response is application/problem+json (unknown routes and methods
/// included). Logging is quiet (warnings only) by default. SIGTERM and Ctrl+C stop the server gracefully:
/// in-flight requests finish within <see cref="ServerOptions.ShutdownTimeout"/>.
/// </summary>
public static class RecommendationServer
{
    /// <summary>Path of the OpenAPI document.</summary>
    public const string OpenApiPath = "/openapi/v1.json";

    /// <summary>Builds the application over a model loaded by the caller (no reload).</summary>
    public static WebApplication Build(Recommender recommender, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(recommender);
        return Build(new ReloadableRecommender(new RecommenderRun(recommender, ""), null), options);
    }

    /// <summary>Builds the application (not yet started) over a recommender that can be reloaded: the run folder
    /// is watched (<see cref="ServerOptions.WatchRunFolder"/>) and, with an API key, POST /v1/admin/reload swaps
    /// in the folder's current model.</summary>
    public static WebApplication Build(ReloadableRecommender recommender, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(recommender);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var certificate = HttpsCertificate.Load(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            EnvironmentName = Environments.Production,
            ApplicationName = typeof(RecommendationServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls(options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        if (certificate is not null)
        {
            // The slim builder leaves Kestrel's https support out until asked for.
            builder.WebHost.UseKestrelHttpsConfiguration();
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            if (certificate is not null)
            {
                kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate);
            }
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownTimeout);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Logging.SetMinimumLevel(options.LogLevel);
        // A failed start (e.g. port in use) is thrown to the caller, which reports it; the host's own stack-trace
        // log line would only repeat it.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ServingJsonContext.Default);
            json.SerializerOptions.TypeInfoResolverChain.Insert(1, ServerJsonContext.Default);
            json.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
        });
        builder.Services.AddProblemDetails();
        builder.Services.AddMultiRecWith(recommender, options.ApplyTo);
        builder.Services.AddOpenApi(openApi =>
        {
            openApi.AddDocumentTransformer((document, _, _) =>
            {
                var info = recommender.Info;
                document.Info.Title = "MultiRec recommendations";
                document.Info.Description = $"Top-K recommendations and similar items from a trained run ({info.Users} users, {info.Items} items).";
                document.Info.License = new Microsoft.OpenApi.OpenApiLicense { Name = "MIT", Identifier = "MIT" };
                return Task.CompletedTask;
            });
            openApi.AddDocumentTransformer(new OpenApiSecurity(options.ApiKey is not null).TransformAsync);
            openApi.AddOperationTransformer(new QueryParameterSchemas(options.DefaultK, options.MaxK).TransformAsync);
        });

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi(OpenApiPath);
        var v1 = app.MapMultiRecEndpoints("/v1");
        if (options.ApiKey is { } key)
        {
            v1.AddEndpointFilter(new ApiKeyFilter(key));
            AdminEndpoints.MapReload(v1, recommender);
        }

        RecommendationEndpoints.MapHealth(app, recommender);
        return app;
    }

    /// <summary>Builds and starts the application; returns it with the first address it listens on (the real port
    /// when the options asked for port 0). Stop it with StopAsync / DisposeAsync.</summary>
    public static Task<(WebApplication App, Uri Address)> StartAsync(Recommender recommender, ServerOptions options, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(recommender);
        return StartAsync(new ReloadableRecommender(new RecommenderRun(recommender, ""), null), options, cancel);
    }

    /// <summary>Builds and starts the application over a reloadable recommender; returns it with its first address.</summary>
    public static async Task<(WebApplication App, Uri Address)> StartAsync(ReloadableRecommender recommender, ServerOptions options, CancellationToken cancel = default)
    {
        var app = Build(recommender, options);
        await app.StartAsync(cancel).ConfigureAwait(false);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var first = addresses?.FirstOrDefault() ?? throw new InvalidOperationException("the server reported no listening address");
        return (app, new Uri(first));
    }

    /// <summary>Every address a started application listens on (the real ports), for the startup banner.</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
}
