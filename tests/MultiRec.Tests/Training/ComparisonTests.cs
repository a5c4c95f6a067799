// `multirec compare`: the signed-rank test against hand-computed cases, the table from hand-made runs, grid
// winners chosen on valid, reuse of finished runs, and a killed comparison that resumes to the same table.
using System.Diagnostics;
using System.Text.Json.Nodes;
using MultiRec.Evaluation.Statistics;
using MultiRec.Training;
using MultiRec.Training.Comparison;

namespace MultiRec.Tests.Training;

public class ComparisonTests
{
    [Fact]
    public void SignedRank_MatchesAHandComputedCase()
    {
        // d = 4, 0, 6, -3, 2, 6, 1: the zero is dropped (n = 6); |d| ranks 1 (1), 2 (2), 3 (3), 4 (4), 6 and 6 (5.5 each).
        // W+ = 4 + 5.5 + 2 + 5.5 + 1 = 18, W- = 3, so T = 3; mean n(n+1)/4 = 10.5; variance 6*7*13/24 - (2^3 - 2)/48
        // = 22.625; z = (3 - 10.5) / sqrt(22.625) = -1.57676; p = 2 Phi(z) = 0.1148496 (scipy's wilcoxon agrees).
        var result = WilcoxonSignedRank.Test([5, 2, 9, 4, 3, 8, 1], [1, 2, 3, 7, 1, 2, 0]);
        Assert.Equal(3, result.Statistic);
        Assert.Equal(6, result.NonZero);
        Assert.Equal(-7.5 / Math.Sqrt(22.625), result.Z, 12);
        Assert.Equal(0.11484960926328612, result.PValue, 9);
        Assert.True(result.MeanDifference > 0);
    }

    [Fact]
    public void SignedRank_NoDifference_IsNotSignificant_AndAClearShiftIs()
    {
        Assert.Equal(1, WilcoxonSignedRank.Test([1, 2, 3], [1, 2, 3]).PValue);
        Assert.Equal(1, WilcoxonSignedRank.Test([1, 2, 3, 4], [2, 1, 4, 3]).PValue, 12); // symmetric: W+ = W-
        var a = Enumerable.Range(0, 200).Select(i => 0.5 + (i % 7 * 0.01)).ToArray();
        var b = a.Select((v, i) => v - 0.05 - (i % 3 * 0.001)).ToArray();
        Assert.True(WilcoxonSignedRank.Test(a, b).PValue < 1e-10);
        Assert.Throws<ArgumentException>(() => WilcoxonSignedRank.Test([1, 2], [1]));
    }

    [Fact]
    public void Table_FromTwoModelsAndTwoSeeds_HasMeansSdsImprovementAndPValues()
    {
        int[] users = [0, 1, 2, 3, 4, 5];
        ComparisonRun Run(string model, int seed, double r20, double[] perUser) => new(
            $"runs/{model}/default/seed-{seed}",
            new ComparisonRunRecord { Model = model, Seed = seed, TrainableParameters = model == "A" ? 100 : 50, PeakRssMiB = model == "A" ? 80 : 90, WallSeconds = 2 },
            new TrainingResult
            {
                BestEpoch = seed,
                SecondsPerEpoch = model == "A" ? 0.5 : 0.2,
                SecondsPerEvaluation = 0.1,
                Valid = new Dictionary<string, double> { ["recall@20"] = r20 / 2 },
                Test = new Dictionary<string, double> { ["recall@10"] = r20 / 2, ["recall@20"] = r20, ["ndcg@10"] = r20 / 4, ["ndcg@20"] = r20 / 3 },
            },
            users,
            perUser);
        var a = new ModelRuns("A", new Dictionary<string, string>(), [Run("A", 1, 0.30, [1, 1, 0, 1, 0.5, 1]), Run("A", 2, 0.40, [1, 0, 0, 1, 0.5, 1])], []);
        var b = new ModelRuns("B", new Dictionary<string, string>(), [Run("B", 1, 0.20, [0, 1, 0, 0, 0.5, 0]), Run("B", 2, 0.30, [0, 0, 0, 1, 0.5, 0])], []);
        a = a with { All = a.Final };
        b = b with { All = b.Final };

        var table = ComparisonTable.Build("shop", grid: false, [a, b]);
        Assert.Equal("A", table.BestModel);
        var rowA = table.Rows[0];
        Assert.Equal(0.35, rowA.Test["recall@20"].Mean, 12);
        Assert.Equal(Math.Sqrt(0.005), rowA.Test["recall@20"].Sd, 12); // sample sd of 0.30 and 0.40
        Assert.Null(rowA.PValue);
        Assert.Equal(100 * (0.35 - 0.25) / 0.25, table.ImprovementPercent["recall@20"], 9);

        // B against A on per-user Recall@20 averaged over the two seeds: A = (1, .5, 0, 1, .5, 1), B = (0, .5, 0, .5, .5, 0).
        var expected = WilcoxonSignedRank.Test([1, 0.5, 0, 1, 0.5, 1], [0, 0.5, 0, 0.5, 0.5, 0]).PValue;
        Assert.Equal(expected, table.Rows[1].PValue!.Value, 12);
        Assert.Equal(1.5, table.Rows[1].EpochsToBest.Mean);

        var md = table.Markdown();
        Assert.Contains("| A | default | 0.1750 ± 0.0354 | **0.3500 ± 0.0707** |", md.Replace("**0.1750 ± 0.0354**", "0.1750 ± 0.0354", StringComparison.Ordinal));
        Assert.Contains("**0.200**", md); // B's lower seconds per epoch is the best cost
        Assert.Contains("recall@20 +40.00%", md);
        var csv = table.Csv().Split('\n');
        Assert.StartsWith("model,setting,test_recall@10_mean,test_recall@10_sd,test_recall@20_mean", csv[0], StringComparison.Ordinal);
        Assert.StartsWith("A,default,0.175", csv[1], StringComparison.Ordinal);
        Assert.Equal(3, csv.Count(l => l.Length > 0));
    }

    [Fact]
    public void Grid_PicksEachWinnerOnValid_AndRunsItAtEverySeed()
    {
        using var dir = TestPaths.NewTempDir();
        var request = new ComparisonRequest
        {
            DataDir = TestCatalogs.Discriminating,
            Models = ["BM3"],
            Grid = true,
            Seeds = [1, 2],
            Set = [.. TestCatalogs.Fast, "epochs=6"],
            OutDir = dir.Path,
        };
        var runs = ComparisonRunner.Run(request);
        var bm3 = Assert.Single(runs);
        var atFirstSeed = bm3.All.Where(r => r.Record.Seed == 1).ToList();
        Assert.Equal(8, atFirstSeed.Count); // configs/grid/BM3.yaml: 2 x 2 x 2
        var valid = atFirstSeed.Select(r => r.Result.Valid!["recall@20"]).ToList();
        var test = atFirstSeed.Select(r => r.Result.Test!["recall@20"]).ToList();
        Assert.NotEqual(test.IndexOf(test.Max()), valid.IndexOf(valid.Max())); // valid and test disagree here
        Assert.Equal(atFirstSeed[valid.IndexOf(valid.Max())].Folder, bm3.Final[0].Folder);
        Assert.Equal([1, 2], bm3.Final.Select(r => r.Record.Seed));
        Assert.Equal(bm3.Final[0].Record.Setting, bm3.Final[1].Record.Setting);
        Assert.Equal(9, bm3.All.Count);
    }

    [Fact]
    public async Task KilledComparison_ResumedWithTheSameCommand_EndsWithTheSameTable()
    {
        using var dir = TestPaths.NewTempDir();
        string[] set = [.. TestCatalogs.Fast, "epochs=4", "stopping_step=100"];
        var reference = dir.File("uninterrupted");
        Assert.Equal(0, Cli.CliRunner.Run(["compare", "--data", TestCatalogs.Discriminating, "--models", "BPR,LightGCN", "--seeds", "1,2", "--out", reference, "--quiet", .. set.SelectMany(s => new[] { "--set", s })]).ExitCode);

        // A real process, frozen after epoch 2 of its first run and killed there: one run half done, none finished.
        var killed = dir.File("killed");
        string[] args = ["compare", "--data", TestCatalogs.Discriminating, "--models", "BPR,LightGCN", "--seeds", "1,2", "--out", killed, "--quiet", .. set.SelectMany(s => new[] { "--set", s })];
        var start = TestProcesses.Cli(args);
        start.Environment["MULTIREC_DEBUG_HOLD_AFTER_EPOCH"] = "2";
        using (var process = Process.Start(start)!)
        {
            _ = process.StandardOutput.ReadToEndAsync();
            var line = await process.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(5));
            Assert.StartsWith("holding after epoch 2", line, StringComparison.Ordinal);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        Assert.False(File.Exists(Path.Combine(killed, "compare.json")));
        Assert.True(File.Exists(Path.Combine(killed, "runs", "BPR", "default", "seed-1", "last.safetensors")));

        var resumed = Cli.CliRunner.Run(args);
        Assert.Equal(0, resumed.ExitCode);
        Assert.Contains("BPR default seed 1: resuming", resumed.Stdout);
        Assert.Equal(Stripped(Path.Combine(reference, "compare.json")), Stripped(Path.Combine(killed, "compare.json")));

        // The pictures and the page: three PNG charts, embedded in a self-contained compare.html with the table.
        foreach (var (file, _) in ComparisonCharts.Files)
        {
            var png = File.ReadAllBytes(Path.Combine(killed, file));
            Assert.True(png.Length > 2000, file);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        }

        var html = File.ReadAllText(Path.Combine(killed, "compare.html"));
        Assert.Contains("<table>", html);
        Assert.Contains("<td>BPR</td>", html);
        Assert.Contains("<td>LightGCN</td>", html);
        Assert.Equal(3, html.Split("data:image/png;base64,").Length - 1);

        // The same command once more reuses every run.
        var again = Cli.CliRunner.Run(args);
        Assert.Equal(4, again.Stdout.Split('\n').Count(l => l.Contains("reused (finished earlier)", StringComparison.Ordinal)));

        // Two models, two seeds: means over both seeds, and a p-value for the model that is not the best.
        var table = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(killed, "compare.json"))).RootElement;
        var rows = table.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["BPR", "LightGCN"], rows.Select(r => r.GetProperty("model").GetString()));
        Assert.All(rows, r => Assert.Equal([1, 2], r.GetProperty("seeds").EnumerateArray().Select(e => e.GetInt32())));
        Assert.Single(rows, r => r.GetProperty("p_value").ValueKind == System.Text.Json.JsonValueKind.Null);
        Assert.Contains(rows, r => r.GetProperty("p_value").ValueKind == System.Text.Json.JsonValueKind.Number);
    }

    [Fact]
    public void Efficiency_BenchesEveryRequestedModel_OnTheSameData()
    {
        using var dir = TestPaths.NewTempDir();
        var result = Cli.CliRunner.Run(["compare", "--efficiency", "--data", TestCatalogs.Discriminating, "--models", "BPR,LightGCN,BM3", "--epochs", "2", "--threads", "1", "--out", dir.Path, "--set", "embedding_size=16"]);
        Assert.Equal(0, result.ExitCode);
        var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(dir.File("efficiency.json"))).RootElement;
        var rows = json.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["BPR", "LightGCN", "BM3"], rows.Select(r => r.GetProperty("model").GetString()));
        Assert.All(rows, r => Assert.True(r.GetProperty("epoch_seconds_median").GetDouble() > 0));
        Assert.All(rows, r => Assert.Equal(2, r.GetProperty("bench").GetProperty("epochs").GetInt32()));
        Assert.Equal((400 + 150) * 16, rows[0].GetProperty("parameters").GetInt64()); // BPR: user and item tables
        Assert.Equal(1, json.GetProperty("threads").GetInt32());
        Assert.Contains("| LightGCN |", File.ReadAllText(dir.File("efficiency.md")));
        Assert.Equal(4, File.ReadAllLines(dir.File("efficiency.csv")).Length);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Efficiency_FromTheExecutableOrTheDotnetHost_StartsItsBenchChildrenTheSameWay(bool appHost)
    {
        // The bench children re-run this command: the apphost (MultiRec.Cli, as a copied build folder or the tool
        // shim runs it) must not be handed the dll as an argument, the dotnet host must.
        var executable = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "MultiRec.Cli.exe" : "MultiRec.Cli");
        Assert.True(File.Exists(executable), $"no apphost beside the tests: {executable}");
        using var dir = TestPaths.NewTempDir();
        string[] args = ["compare", "--efficiency", "--data", TestCatalogs.Discriminating, "--models", "BPR", "--epochs", "1", "--threads", "1", "--out", dir.Path, "--set", "embedding_size=8"];
        var start = appHost ? new System.Diagnostics.ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true } : TestProcesses.Cli([]);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "compare --efficiency did not finish in 2 minutes");
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {stdout} {await stderr}");
        Assert.Contains("| BPR |", File.ReadAllText(dir.File("efficiency.md")));
    }

    /// <summary>compare.json without what differs between two honest runs: timings, memory and folder paths.</summary>
    private static string Stripped(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        foreach (var row in root["rows"]!.AsArray())
        {
            foreach (var field in new[] { "seconds_per_epoch", "seconds_per_evaluation", "peak_rss_mib", "wall_seconds", "runs" })
            {
                row!.AsObject().Remove(field);
            }
        }

        return root.ToJsonString();
    }
}
