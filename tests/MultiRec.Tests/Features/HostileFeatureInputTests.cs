// Feature extraction under hostile input: a pixel budget checked from the header, truncated images (S6, D17) get
// the mean vector and a warning; map paths stay inside --images (D18); --max-tokens within the model's 512 (S7);
// dataset names are plain file names (D19).
using System.Buffers.Binary;
using MultiRec.Features.Extraction;
using MultiRec.Features.Images;
using MultiRec.Tests.Cli;

namespace MultiRec.Tests.Features;

public class HostileFeatureInputTests
{
    /// <summary>A valid PNG whose IHDR claims <paramref name="width"/> x <paramref name="height"/> (CRC fixed up).</summary>
    internal static byte[] PngClaiming(int width, int height)
    {
        using var dir = TestPaths.NewTempDir();
        using (var small = ImageTestImages.Pattern(4, 4, seed: 2))
        {
            ImageTestImages.Save(small, dir.File("s.png"));
        }

        var bytes = File.ReadAllBytes(dir.File("s.png"));
        // Signature (8), IHDR length (4), "IHDR" (4), width (4), height (4), ... 13 data bytes, CRC over type + data.
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(20), height);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(29), Crc32(bytes.AsSpan(12, 17)));
        return bytes;
    }

    [Fact]
    public void ImageOverThePixelBudget_IsRefusedFromItsHeader()
    {
        using var dir = TestPaths.NewTempDir();
        File.WriteAllBytes(dir.File("huge.png"), PngClaiming(30000, 30000));
        var e = Assert.Throws<InvalidDataException>(() => ImagePreprocessor.LoadRgbPlanes(dir.File("huge.png")));
        Assert.Contains("30000 x 30000 pixels is over the budget", e.Message);
    }

    [Fact]
    public void TruncatedJpeg_IsRefusedNotEncodedHalfGrey()
    {
        using var dir = TestPaths.NewTempDir();
        using (var image = ImageTestImages.Pattern(320, 240, seed: 4))
        {
            ImageTestImages.Save(image, dir.File("full.jpg"));
        }

        var bytes = File.ReadAllBytes(dir.File("full.jpg"));
        File.WriteAllBytes(dir.File("cut.jpg"), bytes[..(bytes.Length / 3)]);
        Assert.Equal(3 * 224 * 224, ImagePreprocessor.LoadRgbPlanes(dir.File("full.jpg")).Length);
        var e = Assert.Throws<InvalidDataException>(() => ImagePreprocessor.LoadRgbPlanes(dir.File("cut.jpg")));
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Extractor_GivesOversizedAndTruncatedImagesTheMeanVector_AndGoesOn()
    {
        using var dir = TestPaths.NewTempDir();
        var images = Directory.CreateDirectory(dir.File("images")).FullName;
        using (var a = ImageTestImages.Pattern(300, 260, seed: 1))
        {
            ImageTestImages.Save(a, Path.Combine(images, "a.jpg"));
        }

        File.WriteAllBytes(Path.Combine(images, "huge.png"), PngClaiming(30000, 30000));
        var full = File.ReadAllBytes(Path.Combine(images, "a.jpg"));
        File.WriteAllBytes(Path.Combine(images, "cut.jpg"), full[..(full.Length / 3)]);
        File.WriteAllText(dir.File("map.tsv"), "itemID\timage\n0\ta.jpg\n1\thuge.png\n2\tcut.jpg\n");

        var result = CliRunner.Run("data", "features", "image", "--images", images, "--map", dir.File("map.tsv"), "--out", dir.File("i.npy"), "--threads", "1");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("over the budget", result.Stderr);
        Assert.Contains("truncated", result.Stderr);
        var features = MultiRec.Data.NpyFile.ReadFeatureMatrix(dir.File("i.npy"));
        Assert.Equal(3, features.Rows);
        Assert.Equal(features.Row(0).ToArray(), features.Row(1).ToArray());
    }

    [Theory]
    [InlineData("../../../../../etc/passwd")]
    [InlineData("/etc/hostname")]
    [InlineData("sub/../../outside.png")]
    public void MapPaths_StayInsideTheImageFolder(string path)
    {
        using var dir = TestPaths.NewTempDir();
        var images = Directory.CreateDirectory(dir.File("images")).FullName;
        File.WriteAllText(dir.File("map.tsv"), $"itemID\timage\n0\ta.jpg\n1\t{path}\n");
        HostileCliAssert.NamedError(1, ["data", "features", "image", "--images", images, "--map", dir.File("map.tsv"), "--out", dir.File("i.npy")], "map.tsv:3", "leaves the image folder");
    }

    [Fact]
    public void MapPaths_InSubfoldersAreFine()
    {
        using var dir = TestPaths.NewTempDir();
        var images = Directory.CreateDirectory(dir.File("images")).FullName;
        File.WriteAllText(dir.File("map.tsv"), "itemID\timage\n0\tsub/a.jpg\n1\tsub/../b.jpg\n");
        var map = ImageMapFile.Read(dir.File("map.tsv"), images);
        Assert.Equal(Path.Combine(images, "b.jpg"), map[1].Candidates[0]);
    }

    [Theory]
    [InlineData("1000")]
    [InlineData("513")]
    [InlineData("1")]
    public void MaxTokensBeyondTheModelsPositions_IsAUsageError(string tokens)
    {
        using var dir = TestPaths.NewTempDir();
        File.WriteAllText(dir.File("items.tsv"), "itemID\ttext\n0\thello\n");
        HostileCliAssert.NamedError(2, ["data", "features", "text", "--items", dir.File("items.tsv"), "--out", dir.File("t.npy"), "--max-tokens", tokens], "--max-tokens", "2..512");
    }

    [Theory]
    [InlineData("../../escape")]
    [InlineData("..")]
    [InlineData("a/b")]
    public void PrepareName_MustBeAPlainName(string name)
    {
        using var dir = TestPaths.NewTempDir();
        File.WriteAllText(dir.File("r.csv"), "user_id,item_id,rating,timestamp\nu1,i1,5,1\n");
        HostileCliAssert.NamedError(2, ["data", "prepare", "--ratings", dir.File("r.csv"), "--out", dir.File("out/x"), "--name", name], "--name", "plain file name");
        Assert.False(Directory.Exists(dir.File("out")));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.inter", SearchOption.AllDirectories));
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
