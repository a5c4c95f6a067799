// The training verbs through the command line: train, evaluate, grid, --init, config errors and exit codes.
using System.Text.Json;
using MultiRec.Training.Checkpoints;

namespace MultiRec.Tests.Cli;

public class TrainingCliTests
{
    private static readonly string Tiny = Path.Combine(TestPaths.Fixtures, "bm3", "tiny");
    private static readonly string[] Small = ["--set", "embedding_size=8", "--set", "train_batch_size=8", "--set", "threads=1"];

    private static readonly string[] Fast = [.. TestCatalogs.Fast.SelectMany(s => new[] { "--set", s })];

    [Fact]
    public void Train_ThenEvaluate_ReportsTheBestEpochsMetrics()
    {
        using var dir = TestPaths.NewTempDir();
        var run = dir.File("run");
        var train = CliRunner.Run(["train", "--data", TestCatalogs.Discriminating, "--out", run, "--quiet",
            "--set", "epochs=60", "--set", "stopping_step=3", "--set", "test_only_on_improvement=false", .. Fast]);
        Assert.Equal(0, train.ExitCode);
        Assert.Contains("recall", train.Stdout);

        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "results.json")));
        var bestEpoch = results.RootElement.GetProperty("best_epoch").GetInt32();
        var log = MultiRec.Training.MetricsLog.Read(Path.Combine(run, "metrics.jsonl"));
        var best = log[bestEpoch - 1];
        Assert.True(bestEpoch < log.Count, "the run must go on past its best epoch");
        Assert.NotEqual(log[^1].Test, best.Test); // evaluating the last epoch's weights would be caught

        foreach (var (split, expected) in new[] { ("test", best.Test!), ("valid", best.Valid!) })
        {
            var eval = CliRunner.Run("evaluate", "--run", run, "--split", split, "--json");
            Assert.Equal(0, eval.ExitCode);
            using var json = JsonDocument.Parse(eval.Stdout);
            foreach (var (metric, value) in expected)
            {
                Assert.Equal(value, json.RootElement.GetProperty(metric).GetDouble(), 12);
            }

            Assert.Equal(400, json.RootElement.GetProperty("users").GetInt32());
        }
    }

    [Fact]
    public void Grid_TrainsEveryCombination_AndPicksTheWinnerOnValid()
    {
        using var dir = TestPaths.NewTempDir();
        var grid = dir.File("grid.yaml");
        File.WriteAllText(grid, "n_layers: [1, 2, 3]\n");
        var result = CliRunner.Run(["grid", "--data", TestCatalogs.Discriminating, "--grid", grid, "--out", dir.File("g"), "--quiet", "--set", "epochs=6", .. Fast]);
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("g/grid.json")));
        var points = json.RootElement.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(3, points.Count);
        var valid = points.Select(p => p.GetProperty("result").GetProperty("valid").GetProperty("recall@20").GetDouble()).ToList();
        var test = points.Select(p => p.GetProperty("result").GetProperty("test").GetProperty("recall@20").GetDouble()).ToList();
        Assert.NotEqual(test.IndexOf(test.Max()), valid.IndexOf(valid.Max())); // valid and test disagree on this grid
        Assert.Equal(valid.IndexOf(valid.Max()), json.RootElement.GetProperty("winner").GetInt32());
        Assert.Contains("winner (valid recall@20)", File.ReadAllText(dir.File("g/grid.md")));
    }

    [Fact]
    public void Grid_AcceptsTrainerKeysAsAxes()
    {
        using var dir = TestPaths.NewTempDir();
        var grid = dir.File("grid.yaml");
        File.WriteAllText(grid, "reg_weight: [0.001]\n");
        var result = CliRunner.Run(["grid", "--model", "BPR", "--data", TestCatalogs.Discriminating, "--grid", grid, "--out", dir.File("g"), "--quiet",
            "--set", "epochs=1", .. Fast, "--set", "learning_rate=[0.01, 0.001]"]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("g/grid.json")));
        var points = json.RootElement.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(["0.01", "0.001"], points.Select(p => p.GetProperty("values").GetProperty("learning_rate").GetString()));
        var configs = points.Select(p => File.ReadAllText(Path.Combine(p.GetProperty("run").GetString()!, "config.yaml"))).ToList();
        Assert.Matches(@"(?m)^learning_rate: 0\.01\b", configs[0]);
        Assert.Matches(@"(?m)^learning_rate: 0\.001\b", configs[1]);
        var valid = points.Select(p => p.GetProperty("result").GetProperty("valid").GetProperty("recall@20").GetDouble()).ToList();
        Assert.NotEqual(valid[0], valid[1]); // the axis reached the optimizer
        // Every grid run folder has its manifest, so evaluate/recommend/serve open it.
        Assert.All(points, p => Assert.Equal("BPR", MultiRec.Training.RunManifestFile.Read(Path.Combine(p.GetProperty("run").GetString()!, "run.json")).Model));
    }

    [Fact]
    public void Init_StartsFromTheGivenWeights()
    {
        using var dir = TestPaths.NewTempDir();
        Assert.Equal(0, CliRunner.Run(["train", "--data", Tiny, "--out", dir.File("a"), "--quiet", "--set", "epochs=1", .. Small]).ExitCode);
        // Zero training steps from --init: the saved parameters are the given ones.
        var result = CliRunner.Run(["train", "--data", Tiny, "--out", dir.File("b"), "--quiet", "--init", dir.File("a/best.safetensors"),
            "--set", "epochs=1", "--set", "max_steps=1", "--set", "learning_rate=0", .. Small]);
        Assert.Equal(0, result.ExitCode);
        var given = SafeTensorsFile.Read(dir.File("a/best.safetensors"));
        var saved = SafeTensorsFile.Read(dir.File("b/last.safetensors"));
        foreach (var t in given.Tensors)
        {
            Assert.Equal(t.Value.AsSpan().ToArray(), saved.Find(t.Name)!.Value.AsSpan().ToArray());
        }
    }

    [Theory]
    [InlineData("--set", "n_layer=2", "unknown key 'n_layer'")]
    [InlineData("--set", "dropout=high", "not a valid number")]
    [InlineData("--model", "NOPE", "unknown model")]
    public void ConfigErrors_ExitWithUsageCode(string option, string value, string message)
    {
        using var dir = TestPaths.NewTempDir();
        var result = CliRunner.Run("train", "--data", Tiny, "--out", dir.File("run"), option, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public void MissingData_IsAUsageError()
    {
        var result = CliRunner.Run("train");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--data", result.Stderr);
    }
}
