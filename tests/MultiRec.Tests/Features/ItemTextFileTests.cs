// Reading the item text table: column discovery, the reference's field join, and named errors.
using MultiRec.Data;
using MultiRec.Features.Text;

namespace MultiRec.Tests.Features;

public class ItemTextFileTests
{
    [Fact]
    public void Reads_the_text_column_and_ignores_others()
    {
        using var dir = TestPaths.NewTempDir();
        var path = dir.File("items.tsv");
        File.WriteAllText(path, "itemID\tasin\ttext\n1\tB01\tSecond item\n0\tB00\tFirst \"3.5\" item\n");

        var rows = ItemTextFile.Read(path);

        Assert.Equal([new ItemText(1, "Second item", 2), new ItemText(0, "First \"3.5\" item", 3)], rows);
    }

    [Fact]
    public void Joins_title_brand_categories_description_with_missing_fields_as_a_space()
    {
        using var dir = TestPaths.NewTempDir();
        var path = dir.File("items.tsv");
        File.WriteAllText(path, "itemID\tdescription\ttitle\tbrand\n0\tA desc\tA title\t\n");

        var row = Assert.Single(ItemTextFile.Read(path));

        // title + " " + brand + " " + categories + " " + description, brand empty and categories absent → " ".
        Assert.Equal("A title" + " " + " " + " " + " " + " " + "A desc", row.Text);
    }

    [Theory]
    [InlineData("id\ttext\n0\tx\n", "items.tsv:1: missing column 'itemID'")]
    [InlineData("itemID\tname\n0\tx\n", "items.tsv:1: missing text columns")]
    [InlineData("itemID\ttext\n0\tx\textra\n", "items.tsv:2: expected 2 tab-separated fields, found 3")]
    [InlineData("itemID\ttext\n0\tx\nA\ty\n", "items.tsv:3: itemID 'A' is not a non-negative integer")]
    [InlineData("itemID\ttext\n0\tx\n0\ty\n", "items.tsv:3: itemID 0 appears twice")]
    [InlineData("itemID\ttext\n", "items.tsv: no item rows")]
    [InlineData("", "items.tsv: the file is empty")]
    public void Bad_input_names_the_file_and_line(string content, string expected)
    {
        using var dir = TestPaths.NewTempDir();
        var path = dir.File("items.tsv");
        File.WriteAllText(path, content);

        var error = Assert.Throws<DataFormatException>(() => ItemTextFile.Read(path));

        Assert.StartsWith(path + expected["items.tsv".Length..], error.Message);
    }
}
