// image_feat.npy from generated images: 512-d non-negative rows, mean vector for missing/broken images, --strict.
using MultiRec.Data;
using MultiRec.Features.Extraction;
using MultiRec.Features.Images;

namespace MultiRec.Tests.Features;

public class ImageFeatureExtractorTests
{
    private static readonly ImageFeatureOptions SmallRun = new() { Encoder = new ImageEncoderOptions { Threads = 2 } };

    [Fact]
    public void Encodes_images_and_fills_missing_or_broken_ones_with_the_mean()
    {
        using var dir = TestPaths.NewTempDir();
        var images = Directory.CreateDirectory(dir.File("images")).FullName;
        using (var a = ImageTestImages.Pattern(320, 240, seed: 1))
        using (var b = ImageTestImages.Pattern(200, 300, seed: 3))
        {
            ImageTestImages.Save(a, Path.Combine(images, "a.png"));
            ImageTestImages.Save(b, Path.Combine(images, "B00B.jpg"));
        }

        File.WriteAllBytes(Path.Combine(images, "broken.jpg"), [1, 2, 3, 4]);
        var map = dir.File("map.csv");
        // Items: 0 by file name, 1 by ASIN, 2 broken, 3 no image, 4 missing file; item 5 is not in the map.
        File.WriteAllText(map, "itemID,asin,image\n0,X,a.png\n1,B00B,\n2,Y,broken.jpg\n3,,\n4,Z,gone.png\n");
        var output = dir.File("image_feat.npy");

        var report = ImageFeatureExtractor.Run(images, map, output, SmallRun with { ItemCount = 6 });

        var features = NpyFile.ReadFeatureMatrix(output);
        Assert.Equal((6, 512), (features.Rows, features.Cols));
        Assert.Equal(2, report.Encoded);
        Assert.Equal([2, 3, 4, 5], report.Problems.Select(p => p.ItemId));
        Assert.Contains("unreadable image", report.Problems[0].Problem);
        Assert.EndsWith("broken.jpg", report.Problems[0].File);
        Assert.Equal("image file not found", report.Problems[2].Problem);
        Assert.All(features.Values, value => Assert.True(value >= 0));

        using var encoder = new ResNet18ImageEncoder(SmallRun.Encoder);
        var direct = encoder.EncodeFile(Path.Combine(images, "a.png"));
        for (var j = 0; j < 512; j++)
        {
            Assert.Equal(direct[j], features.Row(0)[j], 1e-4f);
            var mean = (features.Row(0)[j] + features.Row(1)[j]) / 2;
            foreach (var filled in new[] { 2, 3, 4, 5 })
            {
                Assert.Equal(mean, features.Row(filled)[j], 1e-5f);
            }
        }

        Assert.NotEqual(features.Row(0).ToArray(), features.Row(1).ToArray());
    }

    [Fact]
    public void The_same_picture_as_png_and_jpeg_gives_nearly_the_same_feature()
    {
        using var dir = TestPaths.NewTempDir();
        using var bitmap = ImageTestImages.Pattern(300, 260, seed: 2);
        ImageTestImages.Save(bitmap, dir.File("p.png"));
        ImageTestImages.Save(bitmap, dir.File("p.jpg"));
        using var encoder = new ResNet18ImageEncoder(SmallRun.Encoder);

        var png = encoder.EncodeFile(dir.File("p.png"));
        var jpeg = encoder.EncodeFile(dir.File("p.jpg"));
        var other = encoder.EncodeFile(SaveOther(dir));

        Assert.True(Cosine(png, jpeg) > 0.98, $"png vs jpeg cosine {Cosine(png, jpeg)}");
        Assert.True(Cosine(png, other) < Cosine(png, jpeg), "a different picture should be further away");
    }

    [Fact]
    public void Strict_mode_stops_at_an_unreadable_image_naming_it()
    {
        using var dir = TestPaths.NewTempDir();
        var images = Directory.CreateDirectory(dir.File("images")).FullName;
        File.WriteAllText(Path.Combine(images, "bad.png"), "not a png");
        var map = dir.File("map.tsv");
        File.WriteAllText(map, "itemID\timage\n0\tbad.png\n");

        var error = Assert.Throws<DataFormatException>(() => ImageFeatureExtractor.Run(images, map, dir.File("f.npy"), SmallRun with { Strict = true }));

        Assert.StartsWith(Path.Combine(images, "bad.png") + ": item 0: unreadable image", error.Message);
    }

    [Theory]
    [InlineData("item,image\n0,a.png\n", "map.csv:1: missing column 'itemID'")]
    [InlineData("itemID,colour\n0,red\n", "map.csv:1: missing image column")]
    [InlineData("itemID,image\nx,a.png\n", "map.csv:2: itemID 'x' is not a non-negative integer")]
    public void Bad_maps_name_the_file_and_line(string content, string expected)
    {
        using var dir = TestPaths.NewTempDir();
        var map = dir.File("map.csv");
        File.WriteAllText(map, content);

        var error = Assert.Throws<DataFormatException>(() => ImageMapFile.Read(map, dir.Path));

        Assert.StartsWith(Path.Combine(dir.Path, expected), error.Message);
    }

    private static string SaveOther(TempDir dir)
    {
        using var bitmap = ImageTestImages.Pattern(300, 260, seed: 5);
        ImageTestImages.Save(bitmap, dir.File("other.png"));
        return dir.File("other.png");
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }
}
