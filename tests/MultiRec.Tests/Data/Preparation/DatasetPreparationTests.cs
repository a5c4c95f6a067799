// Ratings → dataset folder: duplicates, k-core, first-appearance ids, split sizes, time split, errors, real data.
using MultiRec.Data;
using MultiRec.Data.Preparation;

namespace MultiRec.Tests.Data.Preparation;

public class DatasetPreparationTests
{
    [Fact]
    public void Known_two_core_result_with_ids_in_order_of_first_appearance()
    {
        using var dir = TestPaths.NewTempDir();
        var ratings = dir.File("ratings.csv");
        File.WriteAllText(ratings, string.Join('\n',
            "user_id,asin,rating,timestamp",
            "carol,i3,5,10",  // carol and i4 fall out in the cascade, then i3
            "carol,i4,4,11",
            "alice,i2,5,12",
            "alice,i1,3,13",
            "alice,i3,4,14",
            "alice,i2,1,15",  // repeated (alice, i2): dropped
            "bob,i1,2,16",
            "bob,i2,5,17",
            ",i9,5,18",       // no user: dropped
            "dave,i5,5,19") + "\n");
        var output = dir.File("toy");

        var report = DatasetPreparation.Run(ratings, output, new PrepareOptions { Core = 2 });

        Assert.Equal(Path.Combine(output, "toy.inter"), report.InterPath);
        Assert.Equal((10, 1, 1, 4), (report.RowsRead, report.DroppedIncomplete, report.DroppedDuplicates, report.DroppedByCore));
        Assert.Equal((2, 2), (report.Users, report.Items));
        var rows = InterFile.Read(report.InterPath);
        Assert.Equal([0, 0, 1, 1], rows.Users);
        Assert.Equal([0, 1, 1, 0], rows.Items);
        Assert.All(rows.Labels, label => Assert.Equal(SplitLabel.Train, label)); // two rows per user: all train
        Assert.Equal("user_id\tuserID\nalice\t0\nbob\t1\n", File.ReadAllText(Path.Combine(output, "u_id_mapping.csv")));
        Assert.Equal("asin\titemID\ni2\t0\ni1\t1\n", File.ReadAllText(Path.Combine(output, "i_id_mapping.csv")));
    }

    [Fact]
    public void Split_sizes_follow_the_reference_rule_and_the_seed()
    {
        using var dir = TestPaths.NewTempDir();
        var ratings = WriteUsersWithCounts(dir.File("ratings.tsv"), [2, 5, 9, 10, 12, 20, 31]);

        var report = DatasetPreparation.Run(ratings, dir.File("a"), new PrepareOptions { Core = 1, Seed = 1, Name = "x" });
        DatasetPreparation.Run(ratings, dir.File("b"), new PrepareOptions { Core = 1, Seed = 1, Name = "x" });
        DatasetPreparation.Run(ratings, dir.File("c"), new PrepareOptions { Core = 1, Seed = 2, Name = "x" });

        // n=2 → all train; 5, 9 → n-2/1/1; 10, 12 → v=2 → 1/1; 20 → v=4 → 2/2; 31 → v=6 → 3/3.
        Assert.Equal((71, 9, 9), (report.Train, report.Valid, report.Test));
        var labels = InterFile.Read(report.InterPath).Labels;
        Assert.Equal(labels, InterFile.Read(Path.Combine(dir.File("b"), "x.inter")).Labels);
        Assert.NotEqual(labels, InterFile.Read(Path.Combine(dir.File("c"), "x.inter")).Labels);
    }

    [Fact]
    public void Time_split_holds_out_the_most_recent_rows()
    {
        using var dir = TestPaths.NewTempDir();
        var ratings = WriteUsersWithCounts(dir.File("ratings.tsv"), [12, 20]);

        var report = DatasetPreparation.Run(ratings, dir.File("t"), new PrepareOptions { Core = 1, Split = SplitMethod.Time, Name = "t" });

        var rows = InterFile.Read(report.InterPath);
        // Rows were written newest first per user, so the first rows of each user are the held-out ones:
        // user 0 (12 rows): test, valid, then train; user 1 (20 rows): test, test, valid, valid, then train.
        byte[] expected = [2, 1, .. Enumerable.Repeat((byte)0, 10), 2, 2, 1, 1, .. Enumerable.Repeat((byte)0, 16)];
        Assert.Equal(expected, rows.Labels);
    }

    [Fact]
    public void Headerless_files_use_the_ratings_only_column_order()
    {
        using var dir = TestPaths.NewTempDir();
        var ratings = dir.File("ratings.csv");
        File.WriteAllText(ratings, "A1,B1,5.0,1400000000\nA1,B2,4.0,1400000001\nA2,B1,3.0,1400000002\n");

        var report = DatasetPreparation.Run(ratings, dir.File("h"), new PrepareOptions { Core = 1, Format = new RatingsFormat { HasHeader = false } });

        Assert.Equal((2, 2, 3), (report.Users, report.Items, report.Train));
    }

    [Theory]
    [InlineData("u,i\nx,y\n", null, "ratings.csv:1: missing user column")]
    [InlineData("user,product\nx,y\n", null, "ratings.csv:1: missing item column")]
    [InlineData("user,item,time\nx,y,soon\n", "time", "ratings.csv:2: timestamp 'soon' is not a number")]
    [InlineData("user,item\nx\n", null, "ratings.csv:2: expected at least 2 fields, found 1")]
    [InlineData("user,item\n", null, "ratings.csv: no rating rows")]
    [InlineData("user,item\nx,y\n", "core", "ratings.csv: no interaction survives the 5-core filter")]
    public void Bad_input_names_the_file_and_line(string content, string? mode, string expected)
    {
        using var dir = TestPaths.NewTempDir();
        var ratings = dir.File("ratings.csv");
        File.WriteAllText(ratings, content);
        var options = new PrepareOptions { Core = mode == "core" ? 5 : 1, Split = mode == "time" ? SplitMethod.Time : SplitMethod.Random };

        var error = Assert.Throws<DataFormatException>(() => DatasetPreparation.Run(ratings, dir.File("out"), options));

        Assert.StartsWith(Path.Combine(dir.Path, expected), error.Message);
    }

    [SkippableFact]
    public void Baby_rebuilt_from_its_interactions_gives_the_published_counts()
    {
        var baby = TestPaths.RequireSharedDataset("baby");
        var source = InterFile.Read(Path.Combine(baby, "baby.inter"));
        using var dir = TestPaths.NewTempDir();
        var ratings = dir.File("ratings.csv");
        using (var writer = new StreamWriter(ratings))
        {
            writer.WriteLine("user_id,asin,rating,timestamp");
            for (var n = 0; n < source.Count; n++)
            {
                writer.WriteLine($"U{source.Users[n]},I{source.Items[n]},5,{n}");
            }
        }

        var report = DatasetPreparation.Run(ratings, dir.File("baby"), new PrepareOptions { Core = 5, Seed = 999 });

        // baby is already 5-core; split sizes depend only on per-user counts (shared/data/README.md).
        Assert.Equal((19445, 7050, 0), (report.Users, report.Items, report.DroppedByCore));
        Assert.Equal((118551, 20559, 21682), (report.Train, report.Valid, report.Test));
    }

    /// <summary>User u has counts[u] items (item ids shared), newest row first, tab-separated.</summary>
    private static string WriteUsersWithCounts(string path, int[] counts)
    {
        using var writer = new StreamWriter(path);
        writer.WriteLine("user\titem\trating\ttimestamp");
        for (var u = 0; u < counts.Length; u++)
        {
            for (var k = 0; k < counts[u]; k++)
            {
                writer.WriteLine($"u{u}\ti{k}\t5\t{1000 - k}");
            }
        }

        return path;
    }
}
