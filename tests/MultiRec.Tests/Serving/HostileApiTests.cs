// The API cannot be turned against itself (D14-D16): a request budget of ids x k answered by a 400 stating the
// limit, ids holding '/' reachable (percent-encoded route segment or query form), no .NET type names in details.
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using MultiRec.AspNetCore;
using MultiRec.Serving;

namespace MultiRec.Tests.Serving;

public sealed class HostileApiTests : IAsyncLifetime
{
    private readonly TempDir _dir = TestPaths.NewTempDir();
    private WebApplication? _app;
    private HttpClient _client = null!;

    private ServerOptions Options { get; } = new() { Urls = "http://127.0.0.1:0", MaxBatchEntries = 100 };

    public async Task InitializeAsync()
    {
        var run = ServingTestData.WriteRun(_dir.Path, users: 40, items: 30, dims: 8, idMaps: false);
        var data = Path.Combine(_dir.Path, "data");
        // Original ids holding '/', '%' and spaces.
        File.WriteAllLines(Path.Combine(data, IdMapFile.UserMapFileName), ["user_id\tuserID", "a/b\t0", "100%\t1", "c d\t2", .. Enumerable.Range(3, 37).Select(u => $"u{u}\t{u}")]);
        File.WriteAllLines(Path.Combine(data, IdMapFile.ItemMapFileName), ["asin\titemID", "x/y\t0", .. Enumerable.Range(1, 29).Select(i => $"i{i}\t{i}")]);
        var recommender = new Recommender(ServingModelLoader.Load(run));
        var (app, address) = await RecommendationServer.StartAsync(recommender, Options);
        _app = app;
        _client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task Batch_OverTheRequestBudget_Is400StatingTheLimit()
    {
        var ids = Enumerable.Range(3, 11).Select(u => $"u{u}").ToArray();
        using var over = await _client.PostAsJsonAsync("/v1/recommendations", new { user_ids = ids, k = 10 });
        Assert.Equal(HttpStatusCode.BadRequest, over.StatusCode);
        var detail = await Detail(over);
        Assert.Contains("110 entries", detail);
        Assert.Contains("the limit is 100", detail);

        using var within = await _client.PostAsJsonAsync("/v1/recommendations", new { user_ids = ids[..10], k = 10 });
        Assert.Equal(HttpStatusCode.OK, within.StatusCode);
    }

    [Theory]
    [InlineData("/v1/users/a%2Fb/recommendations?k=3")]
    [InlineData("/v1/users/a%2fb/recommendations?k=3")]
    [InlineData("/v1/users/recommendations?id=a%2Fb&k=3")]
    [InlineData("/v1/users/recommendations?id=a/b&k=3")]
    public async Task IdsWithASlash_AreReachable(string url)
    {
        using var response = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("a/b", json.RootElement.GetProperty("user_id").GetString());
    }

    [Theory]
    [InlineData("/v1/users/100%25/recommendations", HttpStatusCode.OK)]
    [InlineData("/v1/users/recommendations?id=c%20d", HttpStatusCode.OK)]
    [InlineData("/v1/items/x%2Fy/similar?k=2", HttpStatusCode.OK)]
    [InlineData("/v1/items/similar?id=x/y&k=2", HttpStatusCode.OK)]
    [InlineData("/v1/users/recommendations", HttpStatusCode.BadRequest)]
    [InlineData("/v1/users/recommendations?id=nobody", HttpStatusCode.NotFound)]
    public async Task QueryFormAndEncodedIds(string url, HttpStatusCode status)
    {
        using var response = await _client.GetAsync(url);
        Assert.Equal(status, response.StatusCode);
    }

    [Theory]
    [InlineData("{\"user_ids\":[42]}")]
    [InlineData("{\"user_ids\":[\"u3\"],\"k\":\"5\"}")]
    [InlineData("{\"user_ids\":[\"u3\"],\"k\":2.5}")]
    [InlineData("{\"user_ids\":[\"u3\"],\"exclude_seen\":\"yes\"}")]
    [InlineData("{\"users\":[\"u3\"]}")]
    [InlineData("{\"user_ids\":[\"u3\"")]
    [InlineData("[1]")]
    public async Task ProblemDetails_NeverNameDotNetTypes(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _client.PostAsync("/v1/recommendations", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("malformed JSON body", text);
        Assert.DoesNotContain("System.", text);
        Assert.DoesNotContain("MultiRec.", text);
        Assert.DoesNotContain("Int32", text);
    }

    [Fact]
    public void Options_RefuseANonPositiveBudget() =>
        Assert.Throws<ArgumentException>(() => new ServerOptions { MaxBatchEntries = 0 }.Validate());

    private static async Task<string> Detail(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("detail").GetString()!;
    }
}
