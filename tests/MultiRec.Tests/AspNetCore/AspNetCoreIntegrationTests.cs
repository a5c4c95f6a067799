// Tests of the ASP.NET Core package in an application's own host: AddMultiRec + MapMultiRecEndpoints, IRecommender
// in DI, snake_case answers under the app's default JSON options, hot reload when the run folder changes (a request
// in flight across a reload: InFlightReloadTests).
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using MultiRec.AspNetCore;
using MultiRec.Data;
using MultiRec.Tests.Serving;

namespace MultiRec.Tests.AspNetCore;

public class AspNetCoreIntegrationTests
{
    internal static async Task<(WebApplication App, HttpClient Client)> StartApp(
        string run, Action<MultiRecOptions>? more = null, Action<WebApplication>? middleware = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddMultiRec(o =>
        {
            o.RunFolder = run;
            o.ReloadDelay = TimeSpan.FromMilliseconds(200);
            more?.Invoke(o);
        });
        var app = builder.Build();
        middleware?.Invoke(app);
        app.MapMultiRecEndpoints("/api/recs");
        app.MapGet("/mine", (IRecommender r) => r.Recommend(ServingTestData.UserId(1), 3).Items.Length);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) });
    }

    [Fact]
    public async Task AddMultiRec_MapsTheApiUnderThePrefix_AndPutsIRecommenderInDI()
    {
        using var dir = TestPaths.NewTempDir();
        var run = ServingTestData.WriteRun(dir.Path, users: 40, items: 30, dims: 6);
        var (app, client) = await StartApp(run);
        await using var appScope = app;
        using var clientScope = client;

        var user = ServingTestData.UserId(1);
        using var doc = JsonDocument.Parse(await client.GetStringAsync($"/api/recs/users/{user}/recommendations?k=4"));
        Assert.Equal(user, doc.RootElement.GetProperty("user_id").GetString());
        Assert.Equal(4, doc.RootElement.GetProperty("items").GetArrayLength());
        Assert.True(doc.RootElement.GetProperty("items")[0].TryGetProperty("item_id", out var itemId));
        Assert.Equal("3", await client.GetStringAsync("/mine"));
        var missing = await client.GetAsync("/api/recs/users/nobody/recommendations");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/recs/admin/reload")).StatusCode);
    }

    [Fact]
    public void MapMultiRecEndpoints_WithoutAddMultiRec_OrWithoutRunFolder_SaysWhatIsMissing()
    {
        var app = WebApplication.CreateSlimBuilder().Build();
        Assert.Contains("AddMultiRec", Assert.Throws<InvalidOperationException>(() => app.MapMultiRecEndpoints()).Message);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddMultiRec(_ => { });
        var noFolder = builder.Build();
        Assert.Contains("RunFolder is not set", Assert.Throws<InvalidOperationException>(() => noFolder.MapMultiRecEndpoints()).Message);
    }

    [Fact]
    public async Task ChangedEmbeddingsInTheRunFolder_AreServedWithoutARestart()
    {
        using var dir = TestPaths.NewTempDir();
        var run = ServingTestData.WriteRun(dir.Path, users: 40, items: 30, dims: 6);
        var (app, client) = await StartApp(run);
        await using var appScope = app;
        using var clientScope = client;
        var holder = app.Services.GetRequiredService<ReloadableRecommender>();
        var before = holder.Current;
        var user = ServingTestData.UserId(2);
        var first = await client.GetStringAsync($"/api/recs/users/{user}/recommendations?k=5");

        // A retrain: new embeddings (8 columns) land by atomic rename, as training writes them.
        var random = new Random(99);
        foreach (var (file, rows) in new[] { ("user_emb.npy", 40), ("item_emb.npy", 30) })
        {
            var temp = Path.Combine(dir.Path, file + ".new");
            NpyFile.Write(temp, ServingTestData.RandomMatrix(rows, 8, random).AsSpan(), rows, 8);
            File.Move(temp, Path.Combine(run, file), overwrite: true);
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (holder.Current.Info.Dimensions != 8 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(8, holder.Current.Info.Dimensions);
        Assert.True(holder.Generation >= 2);
        Assert.NotEqual(first, await client.GetStringAsync($"/api/recs/users/{user}/recommendations?k=5"));
        Assert.Equal(6, before.Info.Dimensions);
    }

    [Fact]
    public void Reload_OfABrokenFolder_KeepsTheCurrentModel()
    {
        using var dir = TestPaths.NewTempDir();
        var run = ServingTestData.WriteRun(dir.Path, users: 30, items: 20, dims: 4);
        var holder = ReloadableRecommender.Open(run);
        var current = holder.Current;
        NpyFile.Write(Path.Combine(run, "item_emb.npy"), new float[21 * 4], 21, 4);
        Assert.Throws<DataFormatException>(() => holder.Reload());
        Assert.Same(current, holder.Current);
        Assert.Equal(1, holder.Generation);
    }
}
