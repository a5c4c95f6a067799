// Tests of the .inter reader/writer: column lookup by name, line ends, and every rejected input naming file and line.
using System.Text;
using MultiRec.Data;

namespace MultiRec.Tests.Data;

public class InterFileTests
{
    private static InterRows ParseText(string text) => InterFile.Parse(Encoding.UTF8.GetBytes(text), "t.inter");

    private static DataFormatException Reject(string text) =>
        Assert.Throws<DataFormatException>(() => ParseText(text));

    [Fact]
    public void Read_PicksColumnsByNameIgnoringOthers()
    {
        var rows = ParseText("x_label\trating\titemID\ttimestamp\tuserID\n0\t5.0\t7\t1400000000\t3\n2\t4.0\t1\t1400000001\t0\n");

        Assert.Equal(2, rows.Count);
        Assert.Equal([3, 0], rows.Users);
        Assert.Equal([7, 1], rows.Items);
        Assert.Equal([0, 2], rows.Labels);
    }

    [Theory]
    [InlineData("userID\titemID\tx_label\r\n0\t1\t0\r\n1\t2\t1\r\n")]
    [InlineData("userID\titemID\tx_label\r\n0\t1\t0\r\n1\t2\t1")]
    [InlineData("userID\titemID\tx_label\n0\t1\t0\n1\t2\t1")]
    [InlineData("\uFEFFuserID\titemID\tx_label\n0\t1\t0\n\n1\t2\t1\n\n")]
    public void Read_AcceptsCrlfMissingTrailingNewlineBomAndBlankLines(string text)
    {
        var rows = ParseText(text);

        Assert.Equal([0, 1], rows.Users);
        Assert.Equal([1, 2], rows.Items);
        Assert.Equal([0, 1], rows.Labels);
    }

    [Fact]
    public void Read_FromDiskNamesMissingFile()
    {
        using var dir = TestPaths.NewTempDir();
        var e = Assert.Throws<DataFormatException>(() => InterFile.Read(dir.File("none.inter")));
        Assert.Contains("none.inter: file not found", e.Message);
    }

    [Fact]
    public void Reject_EmptyFile()
    {
        var e = Reject("");
        Assert.StartsWith("t.inter:1: empty file", e.Message);
    }

    [Fact]
    public void Reject_HeaderOnly()
    {
        Assert.Contains("t.inter: the file has a header but no interaction rows", Reject("userID\titemID\tx_label\n").Message);
        Assert.Contains("no interaction rows", Reject("userID\titemID\tx_label").Message);
    }

    [Fact]
    public void Reject_MissingColumnListsWhatWasFound()
    {
        var e = Reject("userID\titemID\trating\n0\t1\t5\n");

        Assert.StartsWith("t.inter:1: missing column 'x_label'", e.Message);
        Assert.Contains("'rating'", e.Message);
        Assert.Contains("missing columns 'userID', 'itemID', 'x_label'", Reject("user,item,label\n0,1,0\n").Message);
    }

    [Fact]
    public void Reject_DuplicateColumn()
    {
        Assert.Contains("column 'userID' appears twice", Reject("userID\titemID\tuserID\tx_label\n0\t1\t0\t0\n").Message);
    }

    [Theory]
    [InlineData("0\tabc\t0", "t.inter:3: itemID 'abc' is not a non-negative integer")]
    [InlineData("0\t1.5\t0", "t.inter:3: itemID '1.5' is not a non-negative integer")]
    [InlineData("-4\t1\t0", "t.inter:3: userID -4 is negative")]
    [InlineData("0\t1\t3", "t.inter:3: x_label 3 is not 0 (train), 1 (valid) or 2 (test)")]
    [InlineData("0\t1\t-1", "t.inter:3: x_label -1 is negative")]
    [InlineData("0\t\t0", "t.inter:3: itemID is empty")]
    [InlineData("99999999999\t1\t0", "t.inter:3: userID 99999999999 is larger than 2147483647")]
    [InlineData("0\t1", "t.inter:3: expected 3 tab-separated fields as in the header, found 2")]
    [InlineData("0\t1\t0\t9", "t.inter:3: expected 3 tab-separated fields as in the header, found 4")]
    [InlineData("0 1 0", "t.inter:3: userID '0 1 0' is not a non-negative integer")]
    public void Reject_BadRowNamesLineAndField(string badRow, string message)
    {
        var e = Reject($"userID\titemID\tx_label\n0\t0\t0\n{badRow}\n1\t1\t0\n");

        Assert.Equal(message, e.Message[..Math.Min(e.Message.Length, message.Length)]);
        Assert.Equal(3, e.Line);
        Assert.Equal("t.inter", e.File);
    }

    [Fact]
    public void Write_ThenRead_RoundTrips()
    {
        using var dir = TestPaths.NewTempDir();
        var path = dir.File("w.inter");
        int[] users = [0, 5, 2, 123456789];
        int[] items = [9, 0, 2, 7];
        byte[] labels = [0, 1, 2, 0];

        InterFile.Write(path, users, items, labels);

        Assert.StartsWith("userID\titemID\tx_label\n0\t9\t0\n5\t0\t1\n", File.ReadAllText(path));
        var back = InterFile.Read(path);
        Assert.Equal(users, back.Users);
        Assert.Equal(items, back.Items);
        Assert.Equal(labels, back.Labels);
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Write_RejectsInvalidRowsWithoutTouchingTheTarget()
    {
        using var dir = TestPaths.NewTempDir();
        var path = dir.File("w.inter");
        InterFile.Write(path, [1], [1], [0]);

        Assert.Throws<ArgumentException>(() => InterFile.Write(path, [1, 2], [1, 2], [0, 3]));
        Assert.Throws<ArgumentException>(() => InterFile.Write(path, [1, 2], [1], [0, 0]));

        Assert.Equal([1], InterFile.Read(path).Users);
        Assert.Single(Directory.GetFiles(dir.Path));
    }
}
