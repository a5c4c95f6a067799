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

namespace MultiRec.Server;

/// <summary>
/// The HTTP API over one loaded model: GET /v1/users/{id}/recommendations, POST /v1/recommendations,
/// GET /v1/items/{id}/similar, GET /healthz and the OpenAPI document at /openapi/v1.json. The model is read-only
/// and shared by all requests. Every error response is application/problem+json (unknown routes and methods
/// included). Logging is quiet (warnings only) by default. SIGTERM and Ctrl+C stop the server gracefully:
/// in-flight requests finish within <see cref="ServerOptions.ShutdownTimeout"/>.
/// </summary>
public static class RecommendationServer
{
    /// <summary>Path of the OpenAPI document.</summary>
    public const string OpenApiPath = "/openapi/v1.json";

    /// <summary>Builds the application (not yet started).</summary>
    public static WebApplication Build(Recommender recommender, ServerOptions options)
    {
        options.Validate();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            EnvironmentName = Environments.Production,
            ApplicationName = typeof(RecommendationServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls(options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
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
        builder.Services.AddOpenApi(openApi =>
        {
            openApi.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "MultiRec recommendations";
                document.Info.Description = $"Top-K recommendations and similar items from a trained run ({recommender.Model.Users} users, {recommender.Model.Items} items).";
                return Task.CompletedTask;
            });
            openApi.AddOperationTransformer(new QueryParameterSchemas(options.DefaultK, options.MaxK).TransformAsync);
        });

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi(OpenApiPath);
        RecommendationEndpoints.Map(app, recommender, options);
        return app;
    }

    /// <summary>Builds and starts the application; returns it with the first address it listens on (the real port
    /// when the options asked for port 0). Stop it with StopAsync / DisposeAsync.</summary>
    public static async Task<(WebApplication App, Uri Address)> StartAsync(Recommender recommender, ServerOptions options, CancellationToken cancel = default)
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
