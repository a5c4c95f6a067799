// OpenAPI: the document's servers (bound addresses, https when configured, no trailing slash) and its security.
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace MultiRec.AspNetCore;

/// <summary>Declares how the standalone server is reached and protected: its listen addresses as servers (https
/// ones included) and, with an API key, the X-API-Key scheme required by every /v1 operation. Operations open to
/// everyone (health, and every operation without a key) say so with an empty security list.</summary>
internal sealed class OpenApiSecurity(bool apiKey)
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancel)
    {
        var addresses = context.ApplicationServices.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
        if (addresses is { Count: > 0 })
        {
            document.Servers = [.. addresses.Select(a => new OpenApiServer { Url = a.TrimEnd('/'), Description = a.StartsWith("https", StringComparison.OrdinalIgnoreCase) ? "HTTPS (Kestrel certificate)" : "HTTP" })];
        }
        else
        {
            foreach (var server in document.Servers ?? [])
            {
                server.Url = server.Url?.TrimEnd('/');
            }
        }

        if (apiKey)
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[ApiKeyFilter.SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyFilter.HeaderName,
                Description = "The key the server was started with (--api-key-file or MULTIREC_API_KEY).",
            };
        }

        foreach (var (path, item) in document.Paths)
        {
            var secured = apiKey && path.StartsWith("/v1/", StringComparison.Ordinal);
            foreach (var operation in item.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>())
            {
                operation.Security = secured
                    ? [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyFilter.SchemeName, document)] = [] }]
                    : [];
                if (secured)
                {
                    operation.Responses ??= [];
                    operation.Responses.TryAdd("401", new OpenApiResponse { Description = "Unauthorized: the X-API-Key header is missing or wrong (problem details)." });
                }
            }
        }

        return Task.CompletedTask;
    }
}
