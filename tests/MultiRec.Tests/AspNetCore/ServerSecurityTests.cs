// Tests of the standalone server's API key (constant-time check, 401 problem details, admin reload), its HTTPS
// certificate option, the API-key sources, and what the OpenAPI document declares about both.
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MultiRec.AspNetCore;
using MultiRec.Tests.Serving;

namespace MultiRec.Tests.AspNetCore;

public class ServerSecurityTests
{
    private const string Key = "k3y-for-tests-0123456789";

    [Fact]
    public async Task ApiKey_IsRequiredOnV1_NotOnHealth_AndUnlocksAdminReload()
    {
        using var dir = TestPaths.NewTempDir();
        var run = ServingTestData.WriteRun(dir.Path, users: 30, items: 20, dims: 4);
        var (app, address) = await RecommendationServer.StartAsync(ReloadableRecommender.Open(run), new ServerOptions { Urls = "http://127.0.0.1:0", ApiKey = Key, WatchRunFolder = false });
        await using var appScope = app;
        using var client = new HttpClient { BaseAddress = address };
        var path = $"/v1/users/{ServingTestData.UserId(1)}/recommendations";

        var none = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("application/problem+json", none.Content.Headers.ContentType?.MediaType);
        Assert.Contains("X-API-Key", await none.Content.ReadAsStringAsync());

        using var wrong = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { { "X-API-Key", Key + "x" } } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(wrong)).StatusCode);
        using var right = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { { "X-API-Key", Key } } };
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(right)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/v1/admin/reload", null)).StatusCode);
        var random = new Random(4);
        MultiRec.Data.NpyFile.Write(Path.Combine(run, "user_emb.npy"), ServingTestData.RandomMatrix(30, 7, random).AsSpan(), 30, 7);
        MultiRec.Data.NpyFile.Write(Path.Combine(run, "item_emb.npy"), ServingTestData.RandomMatrix(20, 7, random).AsSpan(), 20, 7);
        using var reload = new HttpRequestMessage(HttpMethod.Post, "/v1/admin/reload") { Headers = { { "X-API-Key", Key } } };
        var reloaded = await client.SendAsync(reload);
        Assert.Equal(HttpStatusCode.OK, reloaded.StatusCode);
        using var body = JsonDocument.Parse(await reloaded.Content.ReadAsStringAsync());
        Assert.Equal(2, body.RootElement.GetProperty("generation").GetInt64());
        using var health = JsonDocument.Parse(await client.GetStringAsync("/healthz"));
        Assert.Equal(7, health.RootElement.GetProperty("dims").GetInt32());
    }

    [Fact]
    public async Task OpenApiDocument_DeclaresTheKeyScheme_AndServersWithoutTrailingSlash()
    {
        using var dir = TestPaths.NewTempDir();
        var run = ServingTestData.WriteRun(dir.Path, users: 30, items: 20, dims: 4);
        var (app, address) = await RecommendationServer.StartAsync(ReloadableRecommender.Open(run), new ServerOptions { Urls = "http://127.0.0.1:0", ApiKey = Key, WatchRunFolder = false });
        await using var appScope = app;
        using var client = new HttpClient { BaseAddress = address };
        using var doc = JsonDocument.Parse(await client.GetStringAsync(RecommendationServer.OpenApiPath));
        var scheme = doc.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("X-API-Key", scheme.GetProperty("name").GetString());
        Assert.All(doc.RootElement.GetProperty("servers").EnumerateArray(), s => Assert.False(s.GetProperty("url").GetString()!.EndsWith('/')));
        var get = doc.RootElement.GetProperty("paths").GetProperty("/v1/users/{id}/recommendations").GetProperty("get");
        Assert.True(get.GetProperty("security")[0].TryGetProperty("ApiKey", out var apiKeyRef));
    }

    [Fact]
    public async Task Https_ServesWithTheGivenCertificate_AndTheDocumentListsTheHttpsServer()
    {
        using var dir = TestPaths.NewTempDir();
        var run = ServingTestData.WriteRun(dir.Path, users: 30, items: 20, dims: 4);
        var pfx = dir.File("server.pfx");
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
            using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            File.WriteAllBytes(pfx, cert.Export(X509ContentType.Pkcs12, "pw-123"));
        }

        var options = new ServerOptions { Urls = "https://127.0.0.1:0", HttpsCertificateFile = pfx, HttpsCertificatePassword = "pw-123", WatchRunFolder = false };
        var (app, address) = await RecommendationServer.StartAsync(ReloadableRecommender.Open(run), options);
        await using var appScope = app;
        Assert.Equal("https", address.Scheme);
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (message, c, chain, errors) => c?.Subject == "CN=127.0.0.1" };
        using var client = new HttpClient(handler) { BaseAddress = address };
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        using var doc = JsonDocument.Parse(await client.GetStringAsync(RecommendationServer.OpenApiPath));
        Assert.StartsWith("https://", doc.RootElement.GetProperty("servers")[0].GetProperty("url").GetString(), StringComparison.Ordinal);

        Assert.Contains("cannot load the certificate", Assert.Throws<ArgumentException>(() => RecommendationServer.Build(ReloadableRecommender.Open(run), options with { HttpsCertificatePassword = "wrong" })).Message);
        Assert.Contains("https needs a certificate", Assert.Throws<ArgumentException>(() => new ServerOptions { Urls = "https://127.0.0.1:0" }.Validate()).Message);
    }

    [Fact]
    public void ApiKeySource_ReadsAFileOrTheEnvironment_AndRefusesWeakKeys()
    {
        using var dir = TestPaths.NewTempDir();
        var file = dir.File("key");
        File.WriteAllText(file, Key + "\n");
        Assert.Equal(Key, ApiKeySource.Read(file, _ => "ignored-because-a-file-is-given"));
        Assert.Equal(Key, ApiKeySource.Read(null, name => name == ApiKeySource.EnvironmentVariable ? Key : null));
        Assert.Null(ApiKeySource.Read(null, _ => null));
        File.WriteAllText(file, "short");
        Assert.Contains("at least 16 characters", Assert.Throws<ArgumentException>(() => ApiKeySource.Read(file, _ => null)).Message);
        Assert.Contains("cannot read", Assert.Throws<ArgumentException>(() => ApiKeySource.Read(dir.File("absent"), _ => null)).Message);
        Assert.Contains("white space", Assert.Throws<ArgumentException>(() => ApiKeySource.Check("0123456789 abcdefgh", "test")).Message);
    }
}
