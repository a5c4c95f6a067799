// `multirec data features text|image|tokens`: files written, item problems reported, errors mapped to exit codes.
using MultiRec.Data;
using MultiRec.Tests.Cli;

namespace MultiRec.Tests.Features;

public class FeaturesCliTests
{
    [Fact]
    public void Text_writes_the_feature_file_and_warns_about_items_without_text()
    {
        using var dir = TestPaths.NewTempDir();
        var items = dir.File("items.tsv");
        File.WriteAllText(items, "itemID\ttitle\tbrand\tcategories\tdescription\n0\tSpool\teSUN\t3D Printing\tPLA\n2\t\t\t\t\n");
        var output = Path.Combine(dir.Path, "out", "text_feat.npy");

        var result = CliRunner.Run("data", "features", "text", "--items", items, "--out", output, "--threads", "1");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal([3, 384], NpyFile.ReadHeader(output).Shape);
        Assert.Contains("3 x 384 float32, 1 items encoded, 2 filled with the mean vector", result.Stdout);
        Assert.Contains($"warning: {items}:3: item 2: empty text (mean vector used)", result.Stderr);
        Assert.Contains($"warning: {items}: item 1: not in the file (mean vector used)", result.Stderr);
        Assert.DoesNotContain("[#", result.Stderr); // no progress bar when stderr is not a terminal
    }

    [Fact]
    public void Text_with_strict_fails_on_empty_text()
    {
        using var dir = TestPaths.NewTempDir();
        var items = dir.File("items.tsv");
        File.WriteAllText(items, "itemID\ttext\n0\tok\n1\t\n");

        var result = CliRunner.Run("data", "features", "text", "--items", items, "--out", dir.File("t.npy"), "--strict");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{items}:3: item 1 has empty text", result.Stderr);
    }

    [Fact]
    public void Image_reports_a_broken_image_and_still_writes_the_file()
    {
        using var dir = TestPaths.NewTempDir();
        var images = Directory.CreateDirectory(dir.File("img")).FullName;
        using (var bitmap = ImageTestImages.Pattern(240, 240, seed: 4))
        {
            ImageTestImages.Save(bitmap, Path.Combine(images, "ok.jpg"));
        }

        File.WriteAllText(Path.Combine(images, "bad.jpg"), "garbage");
        var map = dir.File("map.tsv");
        File.WriteAllText(map, "itemID\timage\n0\tok.jpg\n1\tbad.jpg\n");
        var output = dir.File("image_feat.npy");

        var result = CliRunner.Run("data", "features", "image", "--images", images, "--map", map, "--out", output, "--quiet");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal([2, 512], NpyFile.ReadHeader(output).Shape);
        Assert.Contains("bad.jpg: item 1: unreadable image", result.Stderr);
    }

    [Fact]
    public void Tokens_dumps_ids_as_json_lines()
    {
        using var dir = TestPaths.NewTempDir();
        var items = dir.File("items.tsv");
        File.WriteAllText(items, "itemID\ttext\n0\tHello, World!\n");
        var output = dir.File("tokens.jsonl");

        var result = CliRunner.Run("data", "features", "tokens", "--items", items, "--out", output, "--vocab-out", dir.File("vocab.txt"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            "{\"itemID\":0,\"line\":2,\"text\":\"Hello, World!\",\"ids\":[101,7592,1010,2088,999,102],\"all\":[101,7592,1010,2088,999,102]}\n",
            File.ReadAllText(output));
        Assert.Equal(30522, File.ReadAllLines(dir.File("vocab.txt")).Length);
    }

    [Fact]
    public void A_missing_items_file_is_a_data_error()
    {
        using var dir = TestPaths.NewTempDir();

        var result = CliRunner.Run("data", "features", "text", "--items", dir.File("nope.tsv"), "--out", dir.File("t.npy"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("nope.tsv", result.Stderr);
    }
}
