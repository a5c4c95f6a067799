// Tests of the all-users export: CSV and JSONL content, chunking, id quoting, progress, atomic replacement.
using System.Globalization;
using System.Text.Json;
using MultiRec.Serving;

namespace MultiRec.Tests.Serving;

public class ExportTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public void Csv_HoldsEveryUsersTopKInOrder(int chunkUsers)
    {
        var model = ServingTestData.RandomModel(users: 40, items: 60, dims: 8, seed: 11);
        var recommender = new Recommender(model);
        using var dir = TestPaths.NewTempDir();

        var summary = RecommendationExport.Write(model, dir.File("top.csv"), new ExportOptions { K = 5, ChunkUsers = chunkUsers });

        var lines = File.ReadAllLines(dir.File("top.csv"));
        Assert.Equal("user_id,rank,item_id,score", lines[0]);
        Assert.Equal(40 * 5, lines.Length - 1);
        Assert.Equal(new ExportSummary(dir.File("top.csv"), ExportFormat.Csv, 40, 200, 5, ExcludeMode.Train, summary.Elapsed), summary);
        for (var user = 0; user < model.Users; user++)
        {
            var expected = recommender.Recommend(user, 5, ExcludeMode.Train);
            for (var r = 0; r < 5; r++)
            {
                var fields = lines[1 + (user * 5) + r].Split(',');
                Assert.Equal(user.ToString(CultureInfo.InvariantCulture), fields[0]);
                Assert.Equal((r + 1).ToString(CultureInfo.InvariantCulture), fields[1]);
                Assert.Equal(expected[r].Item.ToString(CultureInfo.InvariantCulture), fields[2]);
                Assert.Equal(expected[r].Score, float.Parse(fields[3], CultureInfo.InvariantCulture), 1e-5f);
            }
        }
    }

    [Fact]
    public void Jsonl_HasOneObjectPerUserAndShortListsWhenCandidatesRunOut()
    {
        var model = ServingTestData.RandomModel(users: 9, items: 12, dims: 4, seed: 12, perUser: 5);
        var recommender = new Recommender(model);
        using var dir = TestPaths.NewTempDir();

        var summary = RecommendationExport.Write(model, dir.File("top.jsonl"), new ExportOptions { K = 100, Exclude = ExcludeMode.All, ChunkUsers = 4 });

        var lines = File.ReadAllLines(dir.File("top.jsonl"));
        Assert.Equal(model.Users, lines.Length);
        long total = 0;
        for (var user = 0; user < model.Users; user++)
        {
            using var doc = JsonDocument.Parse(lines[user]);
            var root = doc.RootElement;
            var expected = recommender.Recommend(user, 100, ExcludeMode.All);
            Assert.Equal(user.ToString(CultureInfo.InvariantCulture), root.GetProperty("user_id").GetString());
            Assert.Equal(expected.Select(s => s.Item.ToString(CultureInfo.InvariantCulture)), root.GetProperty("items").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(expected.Length, root.GetProperty("scores").GetArrayLength());
            Assert.True(expected.Length < model.Items);
            total += expected.Length;
        }

        Assert.Equal(total, summary.Recommendations);
        Assert.Equal(model.Items, summary.K);
    }

    [Fact]
    public void Csv_QuotesIdsThatNeedIt()
    {
        var users = IdMap.FromExternalIds(["plain", "has,comma"]);
        var items = IdMap.FromExternalIds(["say \"hi\"", "b", "c"]);
        var model = ServingTestData.RandomModel(users: 2, items: 3, dims: 2, userIds: users, itemIds: items, perUser: 0);
        using var dir = TestPaths.NewTempDir();

        RecommendationExport.Write(model, dir.File("q.csv"), new ExportOptions { K = 3, Exclude = ExcludeMode.None });

        var text = File.ReadAllText(dir.File("q.csv"));
        Assert.Contains("\"has,comma\",1,", text);
        Assert.Contains(",\"say \"\"hi\"\"\",", text);
        Assert.DoesNotContain("\"plain\"", text);
    }

    [Fact]
    public void Progress_ReachesEveryUser()
    {
        var model = ServingTestData.RandomModel(users: 25, items: 30, dims: 4);
        using var dir = TestPaths.NewTempDir();
        var reports = new List<ExportProgress>();

        RecommendationExport.Write(model, dir.File("p.csv"), new ExportOptions { K = 2, ChunkUsers = 10 }, new SynchronousProgress(reports.Add));

        Assert.Equal([0, 10, 20, 25], reports.Select(r => r.UsersDone));
        Assert.All(reports, r => Assert.Equal(25, r.Users));
    }

    [Fact]
    public void FailedExport_LeavesTheOldFileAndNoTemporaryFile()
    {
        var model = ServingTestData.RandomModel(users: 25, items: 30, dims: 4);
        using var dir = TestPaths.NewTempDir();
        File.WriteAllText(dir.File("old.csv"), "previous");
        using var cancel = new CancellationTokenSource();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            RecommendationExport.Write(model, dir.File("old.csv"), new ExportOptions { ChunkUsers = 5 }, new SynchronousProgress(p =>
            {
                if (p.UsersDone >= 10)
                {
                    cancel.Cancel();
                }
            }), cancel.Token));

        Assert.Equal("previous", File.ReadAllText(dir.File("old.csv")));
        Assert.Equal([dir.File("old.csv")], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Options_AreValidatedAndTheFormatComesFromTheExtension()
    {
        var model = ServingTestData.RandomModel(users: 2, items: 10, dims: 2);

        Assert.Equal(ExportFormat.Jsonl, ExportFormats.FromPath("a/b.JSONL"));
        Assert.Throws<ArgumentException>(() => ExportFormats.FromPath("top.json"));
        Assert.Throws<ArgumentException>(() => RecommendationExport.Write(model, "never.csv", new ExportOptions { K = 0 }));
        Assert.False(File.Exists("never.csv"));
    }

    /// <summary>An IProgress that runs the callback on the reporting thread (Progress&lt;T&gt; posts to the pool).</summary>
    private sealed class SynchronousProgress(Action<ExportProgress> report) : IProgress<ExportProgress>
    {
        public void Report(ExportProgress value) => report(value);
    }
}
