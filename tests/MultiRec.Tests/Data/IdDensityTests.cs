// Memory follows the input's size, not its largest id (S5, S9): sparse ids are refused before any per-id table is
// allocated, naming the file and the id and pointing to `data prepare`; feature extraction's output size too.
using MultiRec.Data;
using MultiRec.Tests.Cli;

namespace MultiRec.Tests.Data;

public class IdDensityTests
{
    [Fact]
    public void SparseIds_AreRefusedNamingTheId()
    {
        using var dir = TestPaths.NewTempDir();
        // The probe's S9 file: five rows, user and item 9,999,999.
        File.WriteAllText(dir.File("d.inter"), "userID\titemID\tx_label\n0\t1\t0\n0\t2\t1\n0\t3\t2\n9999999\t9999999\t0\n9999999\t5\t1\n");
        var e = Assert.Throws<DataFormatException>(() => Dataset.Load(dir.Path));
        Assert.Contains("userID 9999999", e.Message);
        Assert.Contains("data prepare", e.Message);
        HostileCliAssert.NamedError(1, ["train", "--data", dir.Path, "--out", dir.File("run")], "d.inter", "9999999", "data prepare");
        HostileCliAssert.NamedError(1, ["data", "stats", "--data", dir.Path], "9999999");
    }

    [Fact]
    public void IdsWithinTheSlack_AreAccepted()
    {
        using var dir = TestPaths.NewTempDir();
        var maxId = 3 + IdDensity.Slack - 1;
        File.WriteAllText(dir.File("d.inter"), $"userID\titemID\tx_label\n0\t1\t0\n1\t2\t0\n2\t{maxId}\t0\n");
        Assert.Equal(maxId + 1, Dataset.Load(dir.Path).Items);
        File.WriteAllText(dir.File("d.inter"), $"userID\titemID\tx_label\n0\t1\t0\n1\t2\t0\n2\t{maxId + 1}\t0\n");
        Assert.Throws<DataFormatException>(() => Dataset.Load(dir.Path));
    }

    [Theory]
    [InlineData("5000000")]
    [InlineData("2147483646")]
    public void TextFeatures_SparseItemId_IsRefusedBeforeAllocating(string id)
    {
        using var dir = TestPaths.NewTempDir();
        File.WriteAllText(dir.File("items.tsv"), $"itemID\ttext\n0\ta\n1\tb\n2\tc\n3\td\n{id}\te\n");
        HostileCliAssert.NamedError(1, ["data", "features", "text", "--items", dir.File("items.tsv"), "--out", dir.File("t.npy")], "items.tsv", $"itemID {id}", "data prepare");
        Assert.False(File.Exists(dir.File("t.npy")));
    }

    [Fact]
    public void TextFeatures_HugeItemCount_IsRefused()
    {
        using var dir = TestPaths.NewTempDir();
        File.WriteAllText(dir.File("items.tsv"), "itemID\ttext\n0\ta\n1\tb\n");
        HostileCliAssert.NamedError(1, ["data", "features", "text", "--items", dir.File("items.tsv"), "--out", dir.File("t.npy"), "--item-count", "2000000000"], "--item-count 2000000000");
    }

    [Theory]
    [InlineData("3000000")]
    [InlineData("2147483647")]
    public void ImageFeatures_SparseItemId_IsRefusedBeforeAllocating(string id)
    {
        using var dir = TestPaths.NewTempDir();
        Directory.CreateDirectory(dir.File("img"));
        File.WriteAllText(dir.File("map.tsv"), $"itemID\timage\n0\ta.jpg\n{id}\tb.jpg\n");
        HostileCliAssert.NamedError(1, ["data", "features", "image", "--images", dir.File("img"), "--map", dir.File("map.tsv"), "--out", dir.File("i.npy")], "map.tsv", $"itemID {id}");
    }
}
