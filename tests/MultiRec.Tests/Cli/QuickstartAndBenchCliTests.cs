// The quickstart (the README's main command) and `bench`, through the command line.
using System.Text.Json;

namespace MultiRec.Tests.Cli;

public class QuickstartAndBenchCliTests
{
    [Fact]
    public void Quickstart_ShortRun_PrintsTheTableAndTopTen()
    {
        using var dir = TestPaths.NewTempDir();
        var result = CliRunner.Run("quickstart", "--out", dir.Path, "--quiet", "--set", "epochs=2", "--set", "threads=1");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("1/3 synthesized catalog", result.Stdout);
        Assert.Contains("best epoch ", result.Stdout);
        Assert.Matches(@"(?m)^20\s+\|\s+0\.\d{4}\s+0\.\d{4}\s+0\.\d{4}\s+0\.\d{4} \|\s+0\.\d{4}", result.Stdout);
        Assert.Contains("users: valid 2000, test 2000", result.Stdout);
        Assert.Equal(3, result.Stdout.Split('\n').Count(l => l.StartsWith("  user ", StringComparison.Ordinal)));
        Assert.Contains("run folder:", result.Stdout);
        Assert.True(File.Exists(Path.Combine(dir.Path, "run", "results.json")));
        Assert.Equal(2, MultiRec.Training.MetricsLog.Read(Path.Combine(dir.Path, "run", "metrics.jsonl")).Count);
    }

    [Fact]
    public void Bench_Json_HasTheDocumentedFields()
    {
        var result = CliRunner.Run("bench", "--data", TestCatalogs.Discriminating, "--epochs", "2", "--threads", "1", "--json", "--set", "embedding_size=16");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var r = json.RootElement;
        Assert.Equal("discriminating", r.GetProperty("dataset").GetString());
        Assert.Equal(400, r.GetProperty("users").GetInt32());
        Assert.Equal(150, r.GetProperty("items").GetInt32());
        Assert.Equal(1, r.GetProperty("threads").GetInt32());
        Assert.Equal(2, r.GetProperty("epochs").GetInt32());
        var trainRows = r.GetProperty("train_rows").GetInt32();
        Assert.Equal((trainRows + 2047) / 2048, r.GetProperty("steps_per_epoch").GetInt32());
        Assert.Equal([16], r.GetProperty("features").GetProperty("image").EnumerateArray().Skip(1).Select(e => e.GetInt32()));
        Assert.Equal([8], r.GetProperty("features").GetProperty("text").EnumerateArray().Skip(1).Select(e => e.GetInt32()));
        // BM3 parameters: U×d + I×d ID tables, the raw tables, two projections, the predictor.
        const int d = 16;
        long expected = (400 * d) + (150 * d) + (150 * 16) + (d * 16) + d + (150 * 8) + (d * 8) + d + (d * d) + d;
        Assert.Equal(expected, r.GetProperty("parameters").GetInt64());
        foreach (var list in new[] { "epoch_seconds", "eval_seconds" })
        {
            var values = r.GetProperty(list).EnumerateArray().Select(e => e.GetDouble()).ToList();
            Assert.Equal(2, values.Count);
            Assert.All(values, v => Assert.True(v > 0));
        }

        Assert.True(r.GetProperty("epoch_seconds_median").GetDouble() > 0);
        Assert.True(r.GetProperty("eval_seconds_median").GetDouble() > 0);
        Assert.NotEmpty(r.GetProperty("step_ms").EnumerateObject());
        Assert.NotEmpty(r.GetProperty("step_allocated_kib").EnumerateObject());
        Assert.True(r.GetProperty("peak_rss_mib").GetDouble() > 0);
        Assert.True(r.GetProperty("gc_pause_seconds").GetDouble() >= 0);
        Assert.True(r.GetProperty("load_seconds").GetDouble() > 0);
    }

    [Fact]
    public void Bench_TimesAnyCatalogModel_WithTheModelsOwnPhases()
    {
        var result = CliRunner.Run("bench", "--model", "lightgcn", "--data", TestCatalogs.Discriminating, "--epochs", "1", "--threads", "1", "--json", "--set", "embedding_size=16");
        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        var r = json.RootElement;
        Assert.Equal("LightGCN", r.GetProperty("model").GetString());
        Assert.Equal((400 + 150) * 16, r.GetProperty("parameters").GetInt64()); // the two ego tables
        Assert.Equal(["optimizer", "propagation", "losses", "backward"], r.GetProperty("step_ms").EnumerateObject().Select(p => p.Name));
    }
}
