// Cross-check against the numpy implementation of the MMRec protocol (tools/reference/make_eval_fixture.py, fixtures/evaluation).
using System.Text.Json;
using MultiRec.Data;
using MultiRec.Engine;
using MultiRec.Evaluation;

namespace MultiRec.Tests.Evaluation;

public class ReferenceFixtureTests
{
    private const double Tolerance = 1e-6;

    [Theory]
    [InlineData("valid", "valid", false)]
    [InlineData("test", "test", false)]
    [InlineData("test_valid_masked", "test", true)]
    public void Metrics_MatchTheNumpyReference(string expectedName, string targetSplit, bool maskValid)
    {
        var folder = Path.Combine(TestPaths.Fixtures, "evaluation");
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "eval_case.json")));
        var root = document.RootElement;
        var items = root.GetProperty("items").GetInt32();
        var userEmbeddings = ReadMatrix(Path.Combine(folder, "user_embeddings.npy"));
        var itemEmbeddings = ReadMatrix(Path.Combine(folder, "item_embeddings.npy"));
        Assert.Equal(root.GetProperty("users").GetInt32(), userEmbeddings.Rows);
        Assert.Equal(items, itemEmbeddings.Rows);
        Assert.Equal(root.GetProperty("dims").GetInt32(), itemEmbeddings.Cols);
        var train = Split(root.GetProperty("train"), items);
        var options = new EvaluationOptions
        {
            Ks = [.. root.GetProperty("ks").EnumerateArray().Select(k => k.GetInt32())],
            ExtraMask = maskValid ? Split(root.GetProperty("valid"), items) : null,
            MaxScoreBlockBytes = items * sizeof(float) * 64, // several blocks, the last one partial
        };

        var result = FullRankingEvaluator.Evaluate(userEmbeddings, itemEmbeddings, train, Split(root.GetProperty(targetSplit), items), options);

        var expected = root.GetProperty("expected").GetProperty(expectedName);
        Assert.Equal(expected.GetProperty("users_evaluated").GetInt32(), result.UsersEvaluated);
        var actual = result.ToDictionary();
        var expectedMetrics = expected.GetProperty("metrics").EnumerateObject().ToList();
        Assert.Equal(16, expectedMetrics.Count);
        foreach (var metric in expectedMetrics)
        {
            Assert.True(
                Math.Abs(metric.Value.GetDouble() - actual[metric.Name]) <= Tolerance,
                $"{metric.Name}: expected {metric.Value.GetDouble():R}, got {actual[metric.Name]:R}");
        }
    }

    private static Tensor ReadMatrix(string path)
    {
        var array = NpyFile.Read(path);
        return new Tensor(array.Shape[0], array.Shape[1], array.ToFloat32());
    }

    private static UserItemCsr Split(JsonElement rows, int items)
    {
        var users = new List<int>();
        var ids = new List<int>();
        var u = 0;
        foreach (var row in rows.EnumerateArray())
        {
            foreach (var item in row.EnumerateArray())
            {
                users.Add(u);
                ids.Add(item.GetInt32());
            }

            u++;
        }

        return UserItemCsr.FromPairs(u, items, users.ToArray(), ids.ToArray());
    }
}
