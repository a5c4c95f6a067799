// A server started once per test class on a free loopback port, over a small run folder with original ids.
using Microsoft.AspNetCore.Builder;
using MultiRec.AspNetCore;
using MultiRec.Serving;

namespace MultiRec.Tests.Serving;

public sealed class ServerFixture : IAsyncLifetime
{
    private readonly TempDir _dir = TestPaths.NewTempDir();
    private WebApplication? _app;

    public Recommender Recommender { get; private set; } = null!;

    public ServerOptions Options { get; } = new() { Urls = "http://127.0.0.1:0", MaxBatchUsers = 50, MaxRequestBodyBytes = 4096 };

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var run = ServingTestData.WriteRun(_dir.Path, users: 120, items: 80, dims: 12);
        Recommender = new Recommender(ServingModelLoader.Load(run));
        var (app, address) = await RecommendationServer.StartAsync(Recommender, Options);
        _app = app;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _dir.Dispose();
    }
}
