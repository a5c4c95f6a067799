// Delimited text reading: delimiter detection, quoted fields, header lookup, named errors.
using MultiRec.Data;
using MultiRec.Data.Preparation;

namespace MultiRec.Tests.Data.Preparation;

public class DelimitedReaderTests
{
    [Theory]
    [InlineData("a\tb,c", '\t')]
    [InlineData("a,b;c", ',')]
    [InlineData("a;b", ';')]
    [InlineData("single", '\t')]
    public void Detects_the_delimiter_from_the_first_line(string line, char expected)
    {
        Assert.Equal(expected, DelimitedReader.DetectDelimiter(line));
    }

    [Fact]
    public void Reads_quoted_fields_and_skips_empty_lines()
    {
        using var dir = TestPaths.NewTempDir();
        var path = dir.File("r.csv");
        File.WriteAllText(path, "User,Item\r\n\"a,1\",\"say \"\"hi\"\"\"\r\n\r\nb,\n");
        using var reader = new DelimitedReader(path);

        Assert.Equal(',', reader.Delimiter);
        Assert.Equal(1, reader.FindColumn("item"));
        Assert.True(reader.TryRead(out var first));
        Assert.Equal(["a,1", "say \"hi\""], first);
        Assert.True(reader.TryRead(out var second));
        Assert.Equal(["b", ""], second);
        Assert.Equal(4, reader.LineNumber);
        Assert.False(reader.TryRead(out _));
    }

    [Fact]
    public void An_unclosed_quote_names_the_line()
    {
        using var dir = TestPaths.NewTempDir();
        var path = dir.File("r.csv");
        File.WriteAllText(path, "u,i\nx,\"open\n");
        using var reader = new DelimitedReader(path);

        var error = Assert.Throws<DataFormatException>(() => reader.TryRead(out _));

        Assert.Equal($"{path}:2: a quoted field is not closed on its line", error.Message);
    }
}
