// OpenAPI: documents the hand-parsed query parameters k and exclude_seen with their real types and ranges.
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MultiRec.AspNetCore;

/// <summary>The handlers take k and exclude_seen as raw strings (so that bad values get precise problem details);
/// this operation transformer tells the OpenAPI document what they really accept.</summary>
internal sealed class QueryParameterSchemas(int defaultK, int maxK)
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancel)
    {
        foreach (var parameter in operation.Parameters ?? [])
        {
            if (parameter is not OpenApiParameter { In: ParameterLocation.Query } query)
            {
                continue;
            }

            switch (query.Name)
            {
                case "k":
                    query.Description = $"Number of items to return, 1..{maxK}; default {defaultK}.";
                    query.Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1", Maximum = maxK.ToString(System.Globalization.CultureInfo.InvariantCulture), Default = JsonValue.Create(defaultK) };
                    break;
                case "exclude_seen":
                    query.Description = "Remove the user's known interactions (as configured at startup; default training items). Default true.";
                    query.Schema = new OpenApiSchema { Type = JsonSchemaType.Boolean, Default = JsonValue.Create(true) };
                    break;
            }
        }

        return Task.CompletedTask;
    }
}
