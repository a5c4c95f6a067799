// `multirec data prepare`: writes the dataset folder, reports counts, maps bad input and bad options to exit codes.
using MultiRec.Data;
using MultiRec.Tests.Cli;

namespace MultiRec.Tests.Data.Preparation;

public class PrepareCliTests
{
    [Fact]
    public void Prepares_a_dataset_folder()
    {
        using var dir = TestPaths.NewTempDir();
        var ratings = dir.File("ratings.tsv");
        File.WriteAllText(ratings, "reviewerID\tasin\toverall\tunixReviewTime\n" +
            string.Join('\n', Enumerable.Range(0, 3).SelectMany(u => Enumerable.Range(0, 4).Select(i => $"U{u}\tI{i}\t5\t{(u * 10) + i}"))) + "\n");
        var output = dir.File("shop");

        var result = CliRunner.Run("data", "prepare", "--ratings", ratings, "--out", output, "--core", "3", "--split-by", "time");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("3 users, 4 items, train 6 / valid 3 / test 3", result.Stdout);
        Assert.True(File.Exists(Path.Combine(output, "shop.inter")));
        Assert.True(File.Exists(Path.Combine(output, "u_id_mapping.csv")));
        Assert.True(File.Exists(Path.Combine(output, "i_id_mapping.csv")));
        // Time split: each user's newest item (I3) is the test row.
        var rows = InterFile.Read(Path.Combine(output, "shop.inter"));
        Assert.All(Enumerable.Range(0, rows.Count).Where(n => rows.Labels[n] == SplitLabel.Test), n => Assert.Equal(3, rows.Items[n]));
    }

    [Fact]
    public void A_missing_column_is_a_data_error_naming_the_file()
    {
        using var dir = TestPaths.NewTempDir();
        var ratings = dir.File("ratings.csv");
        File.WriteAllText(ratings, "who,what\na,b\n");

        var result = CliRunner.Run("data", "prepare", "--ratings", ratings, "--out", dir.File("o"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{ratings}:1: missing user column", result.Stderr);
    }

    [Theory]
    [InlineData("--core", "0", "--core must be at least 1")]
    [InlineData("--delimiter", "pipes", "--delimiter 'pipes': use tab, comma, semicolon or a single character")]
    [InlineData("--split-by", "season", "'season' not recognized")]
    public void Bad_options_are_usage_errors(string option, string value, string message)
    {
        using var dir = TestPaths.NewTempDir();
        var ratings = dir.File("ratings.csv");
        File.WriteAllText(ratings, "user,item\na,b\n");

        var result = CliRunner.Run("data", "prepare", "--ratings", ratings, "--out", dir.File("o"), option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr);
        Assert.False(Directory.Exists(dir.File("o")), "a refused command must write nothing");
    }
}
