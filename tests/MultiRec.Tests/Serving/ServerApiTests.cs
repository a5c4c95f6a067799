// Real HTTP against the API on a loopback port: results, validation (every bad request listed in the issue), problem details.
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MultiRec.Serving;

namespace MultiRec.Tests.Serving;

public class ServerApiTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task UserRecommendations_MatchTheRecommender()
    {
        var user = server.Recommender.Model.UserIds.ExternalId(17);

        using var response = await Client.GetAsync($"/v1/users/{user}/recommendations?k=7");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(user, doc.RootElement.GetProperty("user_id").GetString());
        Assert.Equal("train", doc.RootElement.GetProperty("exclude").GetString());
        AssertItems(server.Recommender.Recommend(17, 7, ExcludeMode.Train), doc.RootElement.GetProperty("items"));
    }

    [Fact]
    public async Task UserRecommendations_DefaultKAndExcludeSeenFalse()
    {
        var user = server.Recommender.Model.UserIds.ExternalId(3);

        using var doc = await GetJson($"/v1/users/{user}/recommendations?exclude_seen=false", HttpStatusCode.OK);

        Assert.Equal(10, doc.RootElement.GetProperty("k").GetInt32());
        Assert.Equal("none", doc.RootElement.GetProperty("exclude").GetString());
        AssertItems(server.Recommender.Recommend(3, 10, ExcludeMode.None), doc.RootElement.GetProperty("items"));
    }

    [Fact]
    public async Task BatchRecommendations_ComeInRequestOrder()
    {
        var ids = new[] { 5, 0, 5, 119 }.Select(server.Recommender.Model.UserIds.ExternalId).ToArray();

        using var response = await Client.PostAsJsonAsync("/v1/recommendations", new { user_ids = ids, k = 3, exclude_seen = true });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var results = doc.RootElement.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(ids, results.Select(r => r.GetProperty("user_id").GetString()));
        AssertItems(server.Recommender.Recommend(119, 3, ExcludeMode.Train), results[3].GetProperty("items"));
    }

    [Fact]
    public async Task SimilarItems_MatchTheRecommender()
    {
        var item = server.Recommender.Model.ItemIds.ExternalId(42);

        using var doc = await GetJson($"/v1/items/{item}/similar?k=4", HttpStatusCode.OK);

        Assert.Equal(item, doc.RootElement.GetProperty("item_id").GetString());
        AssertItems(server.Recommender.Similar(42, 4), doc.RootElement.GetProperty("items"));
    }

    [Fact]
    public async Task Health_ReportsTheModel()
    {
        using var doc = await GetJson("/healthz", HttpStatusCode.OK);

        Assert.Equal("ok", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal(120, doc.RootElement.GetProperty("users").GetInt32());
        Assert.Equal(80, doc.RootElement.GetProperty("items").GetInt32());
        Assert.True(doc.RootElement.GetProperty("original_ids").GetBoolean());
    }

    [Fact]
    public async Task OpenApiDocument_DescribesEveryRouteAndTheRangeOfK()
    {
        using var doc = await GetJson("/openapi/v1.json", HttpStatusCode.OK);

        var paths = doc.RootElement.GetProperty("paths");
        foreach (var path in new[] { "/v1/users/{id}/recommendations", "/v1/recommendations", "/v1/items/{id}/similar", "/healthz" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }

        var k = paths.GetProperty("/v1/users/{id}/recommendations").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == "k").GetProperty("schema");
        Assert.Equal("integer", k.GetProperty("type").GetString());
        Assert.Equal(1000, k.GetProperty("maximum").GetInt32());
    }

    [Theory]
    [InlineData("/v1/users/U00001/recommendations?k=0", "k must be an integer in 1..1000 (got '0')")]
    [InlineData("/v1/users/U00001/recommendations?k=1001", "k must be an integer in 1..1000 (got '1001')")]
    [InlineData("/v1/users/U00001/recommendations?k=-3", "(got '-3')")]
    [InlineData("/v1/users/U00001/recommendations?k=ten", "(got 'ten')")]
    [InlineData("/v1/users/U00001/recommendations?k=", "(got '')")]
    [InlineData("/v1/users/U00001/recommendations?k=1&k=2", "(got '1,2')")]
    [InlineData("/v1/users/U00001/recommendations?k=99999999999", "(got '99999999999')")]
    [InlineData("/v1/users/U00001/recommendations?exclude_seen=maybe", "exclude_seen must be true or false (got 'maybe')")]
    [InlineData("/v1/items/B-0001/similar?k=0", "k must be an integer in 1..1000")]
    [InlineData("/v1/items/B-0001/similar?k=x", "(got 'x')")]
    public async Task BadQueryValues_Are400ProblemDetails(string url, string detail)
    {
        await AssertProblem(await Client.GetAsync(url), HttpStatusCode.BadRequest, detail);
    }

    [Theory]
    [InlineData("/v1/users/nobody/recommendations", "unknown user 'nobody'")]
    [InlineData("/v1/users/17/recommendations", "unknown user '17'")]
    [InlineData("/v1/items/B-9999/similar", "unknown item 'B-9999'")]
    public async Task UnknownIds_Are404ProblemDetails(string url, string detail)
    {
        await AssertProblem(await Client.GetAsync(url), HttpStatusCode.NotFound, detail);
    }

    [Theory]
    [InlineData("{\"user_ids\": [\"U00001\"", "malformed JSON body")]
    [InlineData("", "malformed JSON body")]
    [InlineData("[\"U00001\"]", "malformed JSON body")]
    [InlineData("{\"user_ids\": \"U00001\"}", "malformed JSON body")]
    [InlineData("{\"user_ids\": [1, 2]}", "malformed JSON body")]
    [InlineData("{\"user_ids\": [\"U00001\"], \"k\": \"5\"}", "malformed JSON body")]
    [InlineData("{\"user_ids\": [\"U00001\"], \"k\": 2.5}", "malformed JSON body")]
    [InlineData("{\"user_ids\": [\"U00001\"], \"exclude_seen\": \"yes\"}", "malformed JSON body")]
    [InlineData("{\"users\": [\"U00001\"]}", "malformed JSON body")]
    [InlineData("{}", "a \"user_ids\" array of strings")]
    [InlineData("null", "a \"user_ids\" array of strings")]
    [InlineData("{\"user_ids\": []}", "user_ids must hold 1..50 ids (got 0)")]
    [InlineData("{\"user_ids\": [\"U00001\", null]}", "user_ids[1] is null")]
    [InlineData("{\"user_ids\": [\"U00001\"], \"k\": 0}", "k must be an integer in 1..1000 (got 0)")]
    [InlineData("{\"user_ids\": [\"U00001\"], \"k\": 5000}", "(got 5000)")]
    public async Task BadBatchBodies_Are400ProblemDetails(string body, string detail)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        await AssertProblem(await Client.PostAsync("/v1/recommendations", content), HttpStatusCode.BadRequest, detail);
    }

    [Fact]
    public async Task Batch_TooManyUsersIs400()
    {
        var ids = Enumerable.Range(0, 51).Select(server.Recommender.Model.UserIds.ExternalId).ToArray();

        await AssertProblem(await Client.PostAsJsonAsync("/v1/recommendations", new { user_ids = ids }), HttpStatusCode.BadRequest, "(got 51)");
    }

    [Fact]
    public async Task Batch_UnknownUsersAre404NamingThem()
    {
        using var response = await Client.PostAsJsonAsync("/v1/recommendations", new { user_ids = new[] { "U00001", "ghost", "U00002", "spook" } });

        await AssertProblem(response, HttpStatusCode.NotFound, "unknown user(s): 'ghost', 'spook'");
    }

    [Theory]
    [InlineData("text/plain", null)]
    [InlineData(null, "must be JSON")]
    public async Task Batch_NonJsonContentTypeIs415(string? mediaType, string? detail)
    {
        using var content = new ByteArrayContent("{\"user_ids\": [\"U00001\"]}"u8.ToArray());
        if (mediaType is not null)
        {
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
        }

        await AssertProblem(await Client.PostAsync("/v1/recommendations", content), HttpStatusCode.UnsupportedMediaType, detail);
    }

    [Fact]
    public async Task Batch_OversizedBodyIs413()
    {
        var body = "{\"user_ids\": [\"" + new string('x', 5000) + "\"]}";
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        await AssertProblem(await Client.PostAsync("/v1/recommendations", content), HttpStatusCode.RequestEntityTooLarge, null);
    }

    [Theory]
    [InlineData("GET", "/v2/users/U00001/recommendations", HttpStatusCode.NotFound)]
    [InlineData("GET", "/v1/recommendations", HttpStatusCode.MethodNotAllowed)]
    [InlineData("DELETE", "/v1/users/U00001/recommendations", HttpStatusCode.MethodNotAllowed)]
    public async Task UnknownRoutesAndMethods_AreProblemDetailsToo(string method, string url, HttpStatusCode status)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);

        await AssertProblem(await Client.SendAsync(request), status, null);
    }

    private async Task<JsonDocument> GetJson(string url, HttpStatusCode status)
    {
        using var response = await Client.GetAsync(url);
        Assert.Equal(status, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string? detail)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var doc = JsonDocument.Parse(body);
            Assert.Equal((int)status, doc.RootElement.GetProperty("status").GetInt32());
            Assert.False(string.IsNullOrEmpty(doc.RootElement.GetProperty("title").GetString()));
            if (detail is not null)
            {
                Assert.Contains(detail, doc.RootElement.GetProperty("detail").GetString());
            }
        }
    }

    private static void AssertItems(ScoredItem[] expected, JsonElement items)
    {
        var actual = items.EnumerateArray().ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (var r = 0; r < expected.Length; r++)
        {
            Assert.Equal(ServingTestData.ItemId(expected[r].Item), actual[r].GetProperty("item_id").GetString());
            Assert.Equal(expected[r].Score, actual[r].GetProperty("score").GetSingle());
        }
    }
}
