// The CLI, the export file and the HTTP API give the same recommendations for the same user of a trained run.
using System.Globalization;
using System.Text.Json;
using MultiRec.AspNetCore;
using MultiRec.Data;
using MultiRec.Serving;
using MultiRec.Tests.Cli;
using MultiRec.Training;

namespace MultiRec.Tests.Serving;

public class AgreementTests
{
    [Fact]
    public async Task CliExportAndApiAgreeOnATrainedRun()
    {
        using var dir = TestPaths.NewTempDir();
        var data = Path.Combine(dir.Path, "data");
        SyntheticCatalog.Write(data, new SyntheticCatalogOptions { Users = 300, Items = 200, Interactions = 3000, ImageDim = 16, TextDim = 8 });
        ServingTestData.WriteIdMaps(data, 300, 200);
        var run = Path.Combine(dir.Path, "run");
        TrainingSession.Train(new TrainRequest { DataDir = data, OutDir = run, Set = ["epochs=1", "embedding_size=16"] });
        var csv = dir.File("top.csv");
        var jsonl = dir.File("top.jsonl");
        Assert.Equal(0, CliRunner.Run("export", "--run", run, "--k", "10", "--out", csv).ExitCode);
        Assert.Equal(0, CliRunner.Run("export", "--run", run, "--k", "10", "--out", jsonl).ExitCode);
        var fromCsv = File.ReadLines(csv).Skip(1).Select(l => l.Split(',')).GroupBy(f => f[0])
            .ToDictionary(g => g.Key, g => g.Select(f => (f[2], float.Parse(f[3], CultureInfo.InvariantCulture))).ToArray());
        var fromJsonl = File.ReadLines(jsonl).Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(
            e => e.GetProperty("user_id").GetString()!,
            e => e.GetProperty("items").EnumerateArray().Select(i => i.GetString()!).Zip(e.GetProperty("scores").EnumerateArray().Select(s => s.GetSingle())).ToArray());
        Assert.Equal(300, fromCsv.Count);
        Assert.Equal(300, fromJsonl.Count);

        var (app, address) = await RecommendationServer.StartAsync(new Recommender(ServingModelLoader.Load(run)), new ServerOptions { Urls = "http://127.0.0.1:0" });
        await using (app)
        {
            using var client = new HttpClient { BaseAddress = address };
            foreach (var user in new[] { 0, 1, 77, 150, 299 }.Select(ServingTestData.UserId))
            {
                var cli = CliRunner.Run("recommend", "--run", run, "--user", user, "--k", "10", "--json");
                Assert.Equal(0, cli.ExitCode);
                var fromCli = Items(JsonDocument.Parse(cli.Stdout).RootElement);
                var fromApi = Items(JsonDocument.Parse(await client.GetStringAsync($"/v1/users/{user}/recommendations?k=10")).RootElement);

                Assert.Equal(10, fromCli.Length);
                Assert.Equal(fromCli, fromApi);
                AssertClose(fromCli, fromCsv[user]);
                AssertClose(fromCli, fromJsonl[user]);
            }

            await app.StopAsync();
        }
    }

    private static (string, float)[] Items(JsonElement result) =>
        [.. result.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("item_id").GetString()!, i.GetProperty("score").GetSingle()))];

    /// <summary>Same items in the same order; scores equal up to float rounding (export scores with a GEMM, the
    /// single-user path with a GEMV, which sum in different orders).</summary>
    private static void AssertClose((string Item, float Score)[] expected, (string Item, float Score)[] actual)
    {
        Assert.Equal(expected.Select(e => e.Item), actual.Select(a => a.Item));
        for (var r = 0; r < expected.Length; r++)
        {
            Assert.Equal(expected[r].Score, actual[r].Score, 1e-5f * Math.Max(1f, Math.Abs(expected[r].Score)));
        }
    }
}
