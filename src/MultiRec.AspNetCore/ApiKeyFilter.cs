// API-key check of the standalone server: X-API-Key compared in constant time; 401 problem details otherwise.
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace MultiRec.AspNetCore;

/// <summary>An endpoint filter that lets a request through only when its X-API-Key header equals the key. Both
/// sides are hashed (SHA-256) and compared with <see cref="CryptographicOperations.FixedTimeEquals"/>, so the
/// time taken reveals neither the key nor its length.</summary>
internal sealed class ApiKeyFilter(string key) : IEndpointFilter
{
    /// <summary>The request header that carries the key.</summary>
    public const string HeaderName = "X-API-Key";

    /// <summary>Name of the security scheme in the OpenAPI document.</summary>
    public const string SchemeName = "ApiKey";

    private readonly byte[] _keyHash = SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var sent = context.HttpContext.Request.Headers[HeaderName];
        if (sent.Count == 1 && Matches(sent[0]))
        {
            return next(context);
        }

        context.HttpContext.Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\"";
        var detail = sent.Count == 0 ? $"this server requires an API key in the {HeaderName} header" : "the API key is not valid";
        return ValueTask.FromResult<object?>(ApiProblems.Status(StatusCodes.Status401Unauthorized, detail));
    }

    private bool Matches(string? sent)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(sent ?? ""), hash);
        return CryptographicOperations.FixedTimeEquals(hash, _keyHash);
    }
}
