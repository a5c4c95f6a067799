// Tests of `multirec recommend` and `multirec export`: output shapes, exit codes (1 data error, 2 usage error).
using System.Text.Json;
using MultiRec.Tests.Cli;

namespace MultiRec.Tests.Serving;

public sealed class ServingCliTests : IDisposable
{
    private readonly TempDir _dir = TestPaths.NewTempDir();
    private readonly string _run;

    public ServingCliTests()
    {
        _run = ServingTestData.WriteRun(_dir.Path, users: 50, items: 30, dims: 8);
    }

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("recommend")]
    [InlineData("export")]
    [InlineData("serve")]
    public void Help_DescribesTheVerb(string verb)
    {
        var result = CliRunner.Run(verb, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--run", result.Stdout);
        Assert.Contains("--exclude", result.Stdout);
    }

    [Fact]
    public void Recommend_PrintsATableOfOriginalIds()
    {
        var result = CliRunner.Run("recommend", "--run", _run, "--user", "U00007", "--k", "3");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.TrimEnd().Split('\n');
        Assert.Equal("user U00007: top 3 of 30 items (excluded: training items)", lines[0]);
        Assert.StartsWith("rank  item", lines[1]);
        Assert.Equal(5, lines.Length);
        Assert.Matches(@"^   1  B-\d{4}  -?\d+\.\d{6}$", lines[2]);
    }

    [Fact]
    public void Recommend_JsonHasTheApiShape()
    {
        var result = CliRunner.Run("recommend", "--run", _run, "--user", "U00001", "--k", "4", "--exclude", "all", "--json");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Stdout);
        Assert.Equal("U00001", doc.RootElement.GetProperty("user_id").GetString());
        Assert.Equal(4, doc.RootElement.GetProperty("k").GetInt32());
        Assert.Equal("all", doc.RootElement.GetProperty("exclude").GetString());
        var items = doc.RootElement.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(4, items.Length);
        Assert.StartsWith("B-", items[0].GetProperty("item_id").GetString());
    }

    [Fact]
    public void Recommend_SimilarItemsForAnItem()
    {
        var result = CliRunner.Run("recommend", "--run", _run, "--item", "B-0003", "--k", "2", "--json");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Stdout);
        Assert.Equal("B-0003", doc.RootElement.GetProperty("item_id").GetString());
        Assert.Equal(2, doc.RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public void Recommend_SimilarItems_AreTheNearestByCosine_WithoutTheItemItself()
    {
        var result = CliRunner.Run("recommend", "--run", _run, "--item", "B-0003", "--k", "5", "--json");
        Assert.Equal(0, result.ExitCode);

        var emb = MultiRec.Data.NpyFile.Read(Path.Combine(_run, "item_emb.npy"));
        var (rows, cols) = (emb.Shape[0], emb.Shape[1]);
        var v = emb.ToFloat32();
        double Cos(int a, int b)
        {
            double dot = 0, na = 0, nb = 0;
            for (var c = 0; c < cols; c++)
            {
                dot += v[(a * cols) + c] * v[(b * cols) + c];
                na += v[(a * cols) + c] * v[(a * cols) + c];
                nb += v[(b * cols) + c] * v[(b * cols) + c];
            }

            return dot / Math.Sqrt(na * nb);
        }

        var expected = Enumerable.Range(0, rows).Where(i => i != 3).OrderByDescending(i => Cos(3, i)).Take(5).ToList();
        using var doc = JsonDocument.Parse(result.Stdout);
        var items = doc.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(expected.Select(ServingTestData.ItemId), items.Select(i => i.GetProperty("item_id").GetString()));
        for (var n = 0; n < expected.Count; n++)
        {
            Assert.Equal(Cos(3, expected[n]), items[n].GetProperty("score").GetDouble(), 5);
        }
    }

    [Theory]
    [InlineData("--user", "nobody")]
    [InlineData("--item", "B-9999")]
    public void Recommend_UnknownIdExitsWith1(string option, string id)
    {
        var result = CliRunner.Run("recommend", "--run", _run, option, id);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"unknown {option[2..]} '{id}'", result.Stderr);
        Assert.Empty(result.Stdout);
    }

    [Theory]
    [InlineData("recommend", "--run", "RUN")]
    [InlineData("recommend", "--run", "RUN", "--user", "U00001", "--item", "B-0001")]
    [InlineData("recommend", "--run", "RUN", "--user", "U00001", "--k", "0")]
    [InlineData("recommend", "--run", "RUN", "--user", "U00001", "--exclude", "seen")]
    [InlineData("export", "--run", "RUN", "--out", "OUT/top.txt")]
    [InlineData("export", "--run", "RUN", "--out", "OUT/top.csv", "--k", "-1")]
    [InlineData("serve", "--run", "RUN", "--max-k", "0")]
    public void UsageErrors_ExitWith2(params string[] args)
    {
        var result = CliRunner.Run([.. args.Select(a => a.Replace("RUN", _run, StringComparison.Ordinal).Replace("OUT", _dir.Path, StringComparison.Ordinal))]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.Stderr);
        Assert.False(File.Exists(_dir.File("top.txt")) || File.Exists(_dir.File("top.csv")));
    }

    [Fact]
    public void Recommend_MissingRunFolderExitsWith1()
    {
        var result = CliRunner.Run("recommend", "--run", _dir.File("nothing"), "--user", "1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("run.json and config.yaml are missing", result.Stderr);
    }

    [Fact]
    public void Export_WritesTheFileAndASummaryWithoutAProgressBarWhenNotOnAConsole()
    {
        var result = CliRunner.Run("export", "--run", _run, "--k", "3", "--out", _dir.File("top.jsonl"));

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stderr);
        Assert.StartsWith("wrote top-3 of 50 users (150 recommendations, excluded: train) to ", result.Stdout);
        Assert.Equal(50, File.ReadAllLines(_dir.File("top.jsonl")).Length);
    }
}
