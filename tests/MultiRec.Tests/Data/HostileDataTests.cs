// Data preparation and inspection under hostile input: ids the id maps cannot hold (D4, D5), non-finite timestamps
// (D20), duplicate rows in the sparsity (D13), NaN feature values in `data stats`, nothing to learn from (D10).
using System.Text;
using MultiRec.Data;
using MultiRec.Tests.Cli;

namespace MultiRec.Tests.Data;

public class HostileDataTests
{
    private static string Ratings(TempDir dir, string extraRows, string header = "user_id,item_id,rating,timestamp\n")
    {
        var sb = new StringBuilder(header);
        for (var u = 0; u < 6; u++)
        {
            for (var i = 0; i < 6; i++)
            {
                sb.Append($"U{u},I{i},5,{(u * 10) + i}\n");
            }
        }

        sb.Append(extraRows);
        var path = dir.File("r.csv");
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    [Fact]
    public void Prepare_IdWithATab_IsRefusedNamingTheLine()
    {
        using var dir = TestPaths.NewTempDir();
        var ratings = Ratings(dir, "\"V0\tevil\",I1,5,1\n");
        HostileCliAssert.NamedError(1, ["data", "prepare", "--ratings", ratings, "--out", dir.File("o"), "--core", "1"], "r.csv:38", "user id 'V0\\tevil'", "tab");
    }

    [Fact]
    public void Prepare_IdsWithInvalidUtf8_AreRefusedNotMerged()
    {
        using var dir = TestPaths.NewTempDir();
        var ratings = Ratings(dir, "");
        File.AppendAllText(ratings, "");
        using (var stream = new FileStream(ratings, FileMode.Append))
        {
            stream.Write("X"u8);
            stream.WriteByte(0xFF);
            stream.Write(",I1,5,1\nX"u8);
            stream.WriteByte(0xFE);
            stream.Write(",I2,5,2\n"u8);
        }

        HostileCliAssert.NamedError(1, ["data", "prepare", "--ratings", ratings, "--out", dir.File("o"), "--core", "1"], "r.csv:38", "not UTF-8");
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("1e400")]
    [InlineData("-Infinity")]
    public void Prepare_NonFiniteTimestamp_IsADataError(string stamp)
    {
        using var dir = TestPaths.NewTempDir();
        var ratings = Ratings(dir, $"U1,I9,5,{stamp}\n");
        HostileCliAssert.NamedError(1, ["data", "prepare", "--ratings", ratings, "--out", dir.File("o"), "--split-by", "time", "--core", "1"], "r.csv:38", "not a finite number");
    }

    [Fact]
    public void Stats_DuplicateRows_DoNotMakeSparsityNegative()
    {
        using var dir = TestPaths.NewTempDir();
        var sb = new StringBuilder("userID\titemID\tx_label\n");
        for (var n = 0; n < 1000; n++)
        {
            sb.Append("0\t0\t0\n1\t1\t0\n");
        }

        File.WriteAllText(dir.File("d.inter"), sb.ToString());
        var stats = DatasetStatistics.Compute(dir.Path);
        Assert.Equal(2000, stats.Interactions);
        Assert.Equal(2, stats.DistinctPairs);
        Assert.Equal(50.0, stats.SparsityPercent);
    }

    [Fact]
    public void Stats_NaNFeatureValue_FailsAsTrainDoes()
    {
        using var dir = TestPaths.NewTempDir();
        File.WriteAllText(dir.File("d.inter"), "userID\titemID\tx_label\n0\t0\t0\n0\t1\t1\n1\t2\t2\n");
        var values = new float[3 * 4];
        values[7] = float.NaN;
        NpyFile.Write(dir.File("image_feat.npy"), values, 3, 4);
        HostileCliAssert.NamedError(1, ["data", "stats", "--data", dir.Path], "image_feat.npy", "row 1 (item 1), column 3 is NaN");
        HostileCliAssert.NamedError(1, ["train", "--data", dir.Path, "--out", dir.File("run"), "--quiet"], "image_feat.npy", "row 1 (item 1), column 3 is NaN");
    }

    [Fact]
    public void Train_WithoutATrainingRow_IsRefused()
    {
        using var dir = TestPaths.NewTempDir();
        File.WriteAllText(dir.File("d.inter"), "userID\titemID\tx_label\n0\t0\t1\n1\t1\t2\n");
        HostileCliAssert.NamedError(1, ["train", "--data", dir.Path, "--out", dir.File("run"), "--quiet"], "d.inter", "no training row");
    }

    [Fact]
    public void Train_WithoutValidationUsers_Warns()
    {
        using var dir = TestPaths.NewTempDir();
        File.WriteAllText(dir.File("d.inter"), "userID\titemID\tx_label\n0\t0\t0\n1\t1\t0\n0\t1\t0\n");
        var result = CliRunner.Run("train", "--data", dir.Path, "--out", dir.File("run"), "--set", "epochs=1", "--set", "embedding_size=4", "--set", "threads=1");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("warning:", result.Stdout);
        Assert.Contains("0 validation and 0 test users", result.Stdout);
    }

    [Fact]
    public void ZeroWidthFeatureMatrix_IsNamedNotAnInitialisationError()
    {
        using var dir = TestPaths.NewTempDir();
        File.WriteAllText(dir.File("d.inter"), "userID\titemID\tx_label\n0\t0\t0\n0\t1\t1\n1\t2\t2\n1\t1\t0\n");
        NpyFile.Write(dir.File("text_feat.npy"), Array.Empty<float>(), 3, 0);
        HostileCliAssert.NamedError(1, ["train", "--data", dir.Path, "--out", dir.File("run"), "--quiet"], "text_feat.npy", "0 columns");
    }

    [Fact]
    public void UserEmbeddingErrors_TalkAboutUsers()
    {
        using var dir = TestPaths.NewTempDir();
        NpyFile.Write(dir.File("user_emb.npy"), new float[8], 2, 4);
        var e = Assert.Throws<DataFormatException>(() => MultiRec.Training.RunEvaluation.LoadEmbeddings(dir.File("user_emb.npy"), 5));
        Assert.Contains("2 rows but the dataset has 5 users", e.Message);
        NpyFile.Write(dir.File("item_emb.npy"), Array.Empty<float>(), 3, 0);
        var zero = Assert.Throws<DataFormatException>(() => MultiRec.Training.RunEvaluation.LoadEmbeddings(dir.File("item_emb.npy"), 3));
        Assert.Contains("0 columns", zero.Message);
    }
}
