// Tests of Dataset.Load: file choice, sizes, duplicate handling, dropped cold users, features; and the real data sets.
using MultiRec.Data;

namespace MultiRec.Tests.Data;

public class DatasetTests
{
    private static void WriteInter(string path, string body) =>
        File.WriteAllText(path, "userID\titemID\tx_label\n" + body);

    [Fact]
    public void Load_BuildsSplitsKeepingTrainDuplicatesAndDroppingColdUsers()
    {
        using var dir = TestPaths.NewTempDir();
        // user 0: train 3,1,3(dup) valid 2 test 4; user 1: only valid/test (cold: dropped); user 2: train 0, test 0.
        WriteInter(dir.File("toy.inter"), "0\t3\t0\n1\t2\t1\n0\t1\t0\n0\t3\t0\n0\t2\t1\n1\t5\t2\n0\t4\t2\n2\t0\t0\n2\t0\t2\n1\t6\t2\n");

        var d = Dataset.Load(dir.Path);

        Assert.Equal("toy", d.Name);
        Assert.Equal(3, d.Users);
        Assert.Equal(7, d.Items);
        Assert.Equal(10, d.InteractionCount);
        Assert.Equal([0, 0, 0, 2], d.TrainUsers);
        Assert.Equal([3, 1, 3, 0], d.TrainItems);
        Assert.Equal([1, 3], d.Train.ItemsOf(0).ToArray());
        Assert.Equal(3, d.Train.Count);
        Assert.Equal([2], d.Valid.ItemsOf(0).ToArray());
        Assert.Empty(d.Valid.ItemsOf(1).ToArray());
        Assert.Equal([4], d.Test.ItemsOf(0).ToArray());
        Assert.Equal([0], d.Test.ItemsOf(2).ToArray());
        Assert.Equal(1, d.DroppedValidRows);
        Assert.Equal(2, d.DroppedTestRows);
        Assert.Equal(1, d.ValidRows);
        Assert.Equal(2, d.TestRows);
        Assert.Empty(d.Features);
        Assert.Null(d.ImageFeatures);
    }

    [Fact]
    public void Load_ReadsFeaturesWhoseRowsMatchTheItems()
    {
        using var dir = TestPaths.NewTempDir();
        WriteInter(dir.File("f.inter"), "0\t0\t0\n1\t2\t0\n");
        NpyFile.Write(dir.File("image_feat.npy"), new float[3 * 4], 3, 4);
        NpyFile.Write(dir.File("text_feat.npy"), Enumerable.Range(0, 6).Select(i => (float)i).ToArray(), 3, 2);

        var d = Dataset.Load(dir.Path);

        Assert.Equal((3, 4), (d.ImageFeatures!.Rows, d.ImageFeatures.Cols));
        Assert.Equal(new[] { 4f, 5f }, d.TextFeatures!.Row(2).ToArray());
        Assert.Equal(["image", "text"], d.Features.Keys.Order());
        Assert.Empty(Dataset.Load(dir.Path, new DatasetLoadOptions { LoadFeatures = false }).Features);
    }

    [Fact]
    public void Load_RejectsFeatureRowsThatDoNotMatchTheItemCount()
    {
        using var dir = TestPaths.NewTempDir();
        WriteInter(dir.File("f.inter"), "0\t0\t0\n1\t2\t0\n");
        NpyFile.Write(dir.File("text_feat.npy"), new float[4 * 2], 4, 2);

        var e = Assert.Throws<DataFormatException>(() => Dataset.Load(dir.Path));

        Assert.Contains("text_feat.npy", e.Message);
        Assert.Contains("has 4 rows but the dataset has 3 items", e.Message);
    }

    [Fact]
    public void Load_PicksTheFolderNamedInterFileAmongSeveral()
    {
        using var dir = TestPaths.NewTempDir();
        var folder = Path.Combine(dir.Path, "shop");
        Directory.CreateDirectory(folder);
        WriteInter(Path.Combine(folder, "shop.inter"), "0\t0\t0\n");
        WriteInter(Path.Combine(folder, "shop.other-split.inter"), "0\t0\t0\n4\t4\t0\n");

        Assert.Equal(1, Dataset.Load(folder).Users);
        var other = Dataset.Load(folder, new DatasetLoadOptions { InterFileName = "shop.other-split.inter" });
        Assert.Equal(5, other.Users);
        Assert.Equal("shop", other.Name); // another split of the folder's own catalog keeps its name (and dataset layer)
        Assert.EndsWith("shop.other-split.inter", other.InterFile, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AmbiguousOrMissingInterFileListsWhatWasFound()
    {
        using var dir = TestPaths.NewTempDir();
        var none = Assert.Throws<DataFormatException>(() => Dataset.Load(dir.Path));
        Assert.Contains("found: none", none.Message);

        WriteInter(dir.File("a.inter"), "0\t0\t0\n");
        WriteInter(dir.File("b.inter"), "0\t0\t0\n");
        var many = Assert.Throws<DataFormatException>(() => Dataset.Load(dir.Path));
        Assert.Contains(dir.Path, many.Message);
        Assert.Contains("found: a.inter, b.inter", many.Message);

        Assert.Contains("dataset folder not found", Assert.Throws<DataFormatException>(() => Dataset.Load(dir.File("nope"))).Message);
        Assert.Contains("interaction file not found", Assert.Throws<DataFormatException>(
            () => Dataset.Load(dir.Path, new DatasetLoadOptions { InterFileName = "c.inter" })).Message);
    }

    [SkippableFact]
    public void Load_Baby_MatchesPublishedCounts()
    {
        var d = Dataset.Load(TestPaths.RequireSharedDataset("baby"));

        Assert.Equal("baby", d.Name);
        Assert.Equal((19445, 7050, 160792), (d.Users, d.Items, d.InteractionCount));
        Assert.Equal((118551, 20559, 21682), (d.Train.Count, d.Valid.Count, d.Test.Count));
        Assert.Equal(118551, d.TrainUsers.Length);
        Assert.Equal((0, 0), (d.DroppedValidRows, d.DroppedTestRows));
    }

    [SkippableFact]
    public void Load_Sports_MatchesPublishedCountsAndSplitRule()
    {
        var d = Dataset.Load(TestPaths.RequireSharedDataset("sports"));

        Assert.Equal((35598, 18357, 296337), (d.Users, d.Items, d.InteractionCount));
        Assert.Equal((218409, 37899, 40029), (d.Train.Count, d.Valid.Count, d.Test.Count));
        for (var u = 0; u < d.Users; u++)
        {
            var n = d.Train.Degree(u) + d.Valid.Degree(u) + d.Test.Degree(u);
            Assert.Equal(PerUserSplit.Sizes(n), (d.Train.Degree(u), d.Valid.Degree(u), d.Test.Degree(u)));
        }
    }

    [Fact]
    public void HugeSparseId_IsReportedInsteadOfAllocated()
    {
        using var dir = TestPaths.NewTempDir();
        WriteInter(dir.File("ids.inter"), "0\t0\t0\n2000000000\t1\t0\n");
        var e = Assert.Throws<DataFormatException>(() => Dataset.Load(dir.Path));
        Assert.Contains("ids.inter", e.Message);
        Assert.Contains("userID 2000000000", e.Message);
    }
}
