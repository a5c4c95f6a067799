// text_feat.npy from an item table: shape, unit rows in itemID order, mean vector for items without text.
using System.Numerics.Tensors;
using MultiRec.Data;
using MultiRec.Features.Extraction;
using MultiRec.Features.Text;

namespace MultiRec.Tests.Features;

public class TextFeatureExtractorTests
{
    private static readonly TextFeatureOptions SmallRun = new() { Encoder = new TextEncoderOptions { Threads = 1, BatchSize = 2 } };

    [Fact]
    public void Writes_unit_rows_in_item_order_and_the_mean_for_items_without_text()
    {
        using var dir = TestPaths.NewTempDir();
        var items = dir.File("items.tsv");
        // Item 1 has blank text, item 3 is absent, rows are not in id order.
        File.WriteAllText(items, "itemID\ttext\n2\tPLA filament spool 1.75mm\n0\tA man is eating food.\n1\t \u200B \n");
        var output = dir.File("text_feat.npy");

        var report = TextFeatureExtractor.Run(items, output, SmallRun with { ItemCount = 4 });

        var features = NpyFile.ReadFeatureMatrix(output);
        Assert.Equal((4, 384), (features.Rows, features.Cols));
        Assert.Equal(2, report.Encoded);
        Assert.Equal([1, 3], report.Problems.Select(p => p.ItemId));
        Assert.Equal(4L, report.Problems[0].Line);
        using var encoder = new MiniLmTextEncoder(SmallRun.Encoder);
        var direct = encoder.Encode(["A man is eating food.", "PLA filament spool 1.75mm"]);
        AssertClose(direct.AsSpan(0, 384), features.Row(0));
        AssertClose(direct.AsSpan(384, 384), features.Row(2));
        var mean = new float[384];
        TensorPrimitives.Add(features.Row(0), features.Row(2), mean);
        TensorPrimitives.Divide(mean, TensorPrimitives.Norm(mean), mean);
        AssertClose(mean, features.Row(1));
        AssertClose(mean, features.Row(3));
        for (var r = 0; r < 4; r++)
        {
            Assert.Equal(1f, TensorPrimitives.Norm(features.Row(r)), 1e-5f);
        }
    }

    [Fact]
    public void Strict_mode_rejects_empty_text_naming_the_line()
    {
        using var dir = TestPaths.NewTempDir();
        var items = dir.File("items.tsv");
        File.WriteAllText(items, "itemID\ttext\n0\tsome text\n1\t\n");

        var error = Assert.Throws<DataFormatException>(() => TextFeatureExtractor.Run(items, dir.File("t.npy"), SmallRun with { Strict = true }));

        Assert.Equal($"{items}:3: item 1 has empty text", error.Message);
        Assert.False(File.Exists(dir.File("t.npy")));
    }

    [Fact]
    public void A_table_without_any_text_is_an_error()
    {
        using var dir = TestPaths.NewTempDir();
        var items = dir.File("items.tsv");
        File.WriteAllText(items, "itemID\ttext\n0\t\n");

        var error = Assert.Throws<DataFormatException>(() => TextFeatureExtractor.Run(items, dir.File("t.npy"), SmallRun));

        Assert.Equal($"{items}: no item has any text to encode", error.Message);
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-5f, $"index {i}: {expected[i]} vs {actual[i]}");
        }
    }
}
