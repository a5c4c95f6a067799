// Tests of IdMap and the MMRec id-mapping file reader: both column orders, identity ids, and every error with its line.
using MultiRec.Data;
using MultiRec.Serving;

namespace MultiRec.Tests.Serving;

public class IdMapTests
{
    [Fact]
    public void Read_MapsBothWaysWhateverTheColumnOrderAndRowOrder()
    {
        using var dir = TestPaths.NewTempDir();
        File.WriteAllText(dir.File("u.csv"), "\uFEFFuser_id\tuserID\r\nA2\t2\r\nA0\t0\r\n\r\nA1\t1\r\n");
        File.WriteAllText(dir.File("i.csv"), "itemID\tasin\n1\tB001\n0\tB000\n");

        var users = IdMapFile.Read(dir.File("u.csv"), IdMapFile.UserIdColumn, 3);
        var items = IdMapFile.Read(dir.File("i.csv"), IdMapFile.ItemIdColumn, 2);

        Assert.False(users.IsIdentity);
        Assert.Equal(["A0", "A1", "A2"], Enumerable.Range(0, 3).Select(users.ExternalId));
        Assert.True(users.TryGetInternalId("A2", out var u));
        Assert.Equal(2, u);
        Assert.False(users.TryGetInternalId("a2", out _));
        Assert.Equal("B001", items.ExternalId(1));
        Assert.Equal(dir.File("u.csv"), users.Source);
    }

    [Fact]
    public void Identity_UsesCanonicalDecimalIdsOnly()
    {
        var map = IdMap.Identity(12);

        Assert.True(map.IsIdentity);
        Assert.Equal("11", map.ExternalId(11));
        Assert.True(map.TryGetInternalId("7", out var seven));
        Assert.Equal(7, seven);
        foreach (var bad in new[] { "12", "-1", "07", "+7", " 7", "7.0", "" })
        {
            Assert.False(map.TryGetInternalId(bad, out _), bad);
        }
    }

    [Theory]
    [InlineData("", 1, "empty file")]
    [InlineData("user_id\tuid\nA\t0\n", 1, "one of them 'userID'")]
    [InlineData("user_id\tuserID\textra\nA\t0\n", 1, "two tab-separated columns")]
    [InlineData("user_id\tuserID\nA\t0\nB\n", 3, "expected 2 tab-separated fields, found 1")]
    [InlineData("user_id\tuserID\nA\t0\nB\tx\n", 3, "userID 'x' is not an id in 0..1")]
    [InlineData("user_id\tuserID\nA\t0\nB\t2\n", 3, "userID '2' is not an id in 0..1")]
    [InlineData("user_id\tuserID\nA\t0\nB\t-1\n", 3, "userID '-1' is not an id")]
    [InlineData("user_id\tuserID\nA\t0\nB\t0\n", 3, "userID 0 appears twice")]
    [InlineData("user_id\tuserID\nA\t0\nA\t1\n", 3, "original id 'A' is mapped to both 0 and 1")]
    [InlineData("user_id\tuserID\nA\t0\n\t1\n", 3, "empty original id")]
    public void Read_RejectsBadFilesNamingFileAndLine(string content, int line, string problem)
    {
        using var dir = TestPaths.NewTempDir();
        var path = dir.File("u_id_mapping.csv");
        File.WriteAllText(path, content);

        var e = Assert.Throws<DataFormatException>(() => IdMapFile.Read(path, IdMapFile.UserIdColumn, 2));

        Assert.Equal(path, e.File);
        Assert.Equal(line, e.Line);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Read_RejectsAMapThatMissesAnId()
    {
        using var dir = TestPaths.NewTempDir();
        File.WriteAllText(dir.File("m.csv"), "asin\titemID\nX\t0\nZ\t2\n");

        var e = Assert.Throws<DataFormatException>(() => IdMapFile.Read(dir.File("m.csv"), IdMapFile.ItemIdColumn, 3));

        Assert.Contains("itemID 1 has no original id", e.Message);
    }

    [Fact]
    public void Read_MissingFileIsADataError()
    {
        var e = Assert.Throws<DataFormatException>(() => IdMapFile.Read("no-such-dir/u_id_mapping.csv", IdMapFile.UserIdColumn, 2));

        Assert.Contains("file not found", e.Message);
    }

    [Fact]
    public void ExcludeModes_RoundTripAndRejectOtherSpellings()
    {
        foreach (var mode in Enum.GetValues<ExcludeMode>())
        {
            Assert.Equal(mode, ExcludeModes.Parse(ExcludeModes.Name(mode)));
        }

        Assert.False(ExcludeModes.TryParse("Train", out _));
        Assert.False(ExcludeModes.TryParse(null, out _));
        Assert.Throws<ArgumentException>(() => ExcludeModes.Parse("seen"));
    }
}
