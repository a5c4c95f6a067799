// Tests of `multirec data stats|synth`: help, exit codes (0 ok, 1 data error, 2 usage), JSON keys, real data sets.
using System.Text.Json;
using MultiRec.Data;

namespace MultiRec.Tests.Cli;

public class DataCliTests
{
    private static readonly string[] SmallCatalog =
        ["--users", "100", "--items", "50", "--interactions", "1000", "--image-dim", "4", "--text-dim", "3", "--seed", "5"];

    [Theory]
    [InlineData("--help")]
    [InlineData("data", "--help")]
    [InlineData("data", "stats", "--help")]
    [InlineData("data", "synth", "--help")]
    public void Help_WorksOnEveryVerb(params string[] args)
    {
        var result = CliRunner.Run(args);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Stdout);
        Assert.Empty(result.Stderr);
    }

    [Theory]
    [InlineData("data")]
    [InlineData("data", "stats")]
    [InlineData("data", "stats", "--data", "x", "--bogus")]
    [InlineData("data", "synth")]
    [InlineData("data", "synth", "--out", "x", "--users", "many")]
    public void UsageErrors_ExitWith2(params string[] args)
    {
        var result = CliRunner.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.Stderr);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public void Synth_InvalidShapeIsAUsageErrorAndWritesNothing()
    {
        using var dir = TestPaths.NewTempDir();
        var result = CliRunner.Run("data", "synth", "--out", dir.Path, "--users", "10", "--items", "50", "--interactions", "20");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("interactions must be at least 5 x users = 50", result.Stderr);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Stats_BadInterFileExitsWith1NamingFileAndLineWithoutStackTrace()
    {
        using var dir = TestPaths.NewTempDir();
        File.WriteAllText(dir.File("bad.inter"), "userID\titemID\tx_label\n0\t1\t0\n0\t2\t7\n");

        var result = CliRunner.Run("data", "stats", "--data", dir.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("bad.inter:3: x_label 7", result.Stderr);
        Assert.DoesNotContain(" at ", result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Stats_FeatureRowsNotMatchingItemsExitWith1()
    {
        using var dir = TestPaths.NewTempDir();
        File.WriteAllText(dir.File("d.inter"), "userID\titemID\tx_label\n0\t1\t0\n");
        NpyFile.Write(dir.File("image_feat.npy"), new float[6], 3, 2);

        var result = CliRunner.Run("data", "stats", "--data", dir.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("image_feat.npy: feature matrix has 3 rows but the dataset has 2 items", result.Stderr);
    }

    [Fact]
    public void Stats_MissingFolderExitsWith1()
    {
        using var dir = TestPaths.NewTempDir();
        var result = CliRunner.Run("data", "stats", "--data", dir.File("absent"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("dataset folder not found", result.Stderr);
    }

    [Fact]
    public void Synth_ThenStatsJson_ReportsTheCatalog()
    {
        using var dir = TestPaths.NewTempDir();
        var synth = CliRunner.Run(["data", "synth", "--out", dir.Path, "--name", "mini", .. SmallCatalog]);
        Assert.Equal(0, synth.ExitCode);
        Assert.Single(synth.Stdout.Trim().Split('\n'));
        Assert.Contains("100 users, 50 items, 1000 interactions", synth.Stdout);

        var stats = CliRunner.Run("data", "stats", "--data", dir.Path, "--json");

        Assert.Equal(0, stats.ExitCode);
        Assert.Single(stats.Stdout.Trim().Split('\n'));
        using var json = JsonDocument.Parse(stats.Stdout);
        var root = json.RootElement;
        foreach (var key in new[] { "users", "items", "interactions", "sparsity", "train", "valid", "test", "features", "dropped_valid", "dropped_test" })
        {
            Assert.True(root.TryGetProperty(key, out _), $"missing key {key}");
        }

        Assert.Equal(100, root.GetProperty("users").GetInt32());
        Assert.Equal(50, root.GetProperty("items").GetInt32());
        Assert.Equal(1000, root.GetProperty("interactions").GetInt32());
        Assert.Equal(80.0, root.GetProperty("sparsity").GetDouble());
        Assert.Equal(1000, root.GetProperty("train").GetInt32() + root.GetProperty("valid").GetInt32() + root.GetProperty("test").GetInt32());
        Assert.Equal([50, 4], root.GetProperty("features").GetProperty("image").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([50, 3], root.GetProperty("features").GetProperty("text").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public void Synth_IsDeterministicForTheSeed()
    {
        using var a = TestPaths.NewTempDir();
        using var b = TestPaths.NewTempDir();
        Assert.Equal(0, CliRunner.Run(["data", "synth", "--out", a.Path, .. SmallCatalog]).ExitCode);
        Assert.Equal(0, CliRunner.Run(["data", "synth", "--out", b.Path, .. SmallCatalog]).ExitCode);

        foreach (var file in new[] { "synthetic.inter", "image_feat.npy", "text_feat.npy" })
        {
            Assert.Equal(File.ReadAllBytes(a.File(file)), File.ReadAllBytes(b.File(file)));
        }
    }

    [Fact]
    public void Stats_TextReportsSparsityWithFourDecimals()
    {
        using var dir = TestPaths.NewTempDir();
        Assert.Equal(0, CliRunner.Run(["data", "synth", "--out", dir.Path, "--text-dim", "0", .. SmallCatalog[..^4]]).ExitCode);

        var stats = CliRunner.Run("data", "stats", "--data", dir.Path);

        Assert.Equal(0, stats.ExitCode);
        Assert.Contains("sparsity      80.0000%", stats.Stdout);
        Assert.Contains("image: 50 x 4 <f4", stats.Stdout);
        Assert.DoesNotContain("text:", stats.Stdout);
    }

    [SkippableFact]
    public void Stats_Baby()
    {
        var result = CliRunner.Run("data", "stats", "--data", TestPaths.RequireSharedDataset("baby"), "--json");

        Assert.Equal(0, result.ExitCode);
        var root = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal("baby", root.GetProperty("name").GetString());
        Assert.Equal(
            (19445, 7050, 160792, 118551, 20559, 21682, 0, 0),
            (root.GetProperty("users").GetInt32(), root.GetProperty("items").GetInt32(), root.GetProperty("interactions").GetInt32(),
             root.GetProperty("train").GetInt32(), root.GetProperty("valid").GetInt32(), root.GetProperty("test").GetInt32(),
             root.GetProperty("dropped_valid").GetInt32(), root.GetProperty("dropped_test").GetInt32()));
        Assert.Equal(99.8827, root.GetProperty("sparsity").GetDouble());
    }

    [SkippableFact]
    public void Stats_Sports()
    {
        var result = CliRunner.Run("data", "stats", "--data", TestPaths.RequireSharedDataset("sports"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("users         35,598", result.Stdout);
        Assert.Contains("items         18,357", result.Stdout);
        Assert.Contains("interactions  296,337", result.Stdout);
        Assert.Contains("sparsity      99.9547%", result.Stdout);
        Assert.Contains("train         218,409", result.Stdout);
        Assert.Contains("valid         37,899 (0 dropped", result.Stdout);
        Assert.Contains("test          40,029 (0 dropped", result.Stdout);
    }
}
