// The grid's winner rule on hand-made points: chosen on the valid metric, never on test; first point on ties.
using MultiRec.Training;

namespace MultiRec.Tests.Training;

public class GridSearchTests
{
    private static GridPoint Point(double valid, double test) => new()
    {
        Result = new TrainingResult
        {
            Valid = new Dictionary<string, double> { ["recall@20"] = valid, ["ndcg@20"] = test },
            Test = new Dictionary<string, double> { ["recall@20"] = test, ["ndcg@20"] = valid },
        },
    };

    [Fact]
    public void Winner_IsTheBestValidPoint_WhenTestDisagrees()
    {
        GridPoint[] points = [Point(0.20, 0.40), Point(0.30, 0.10), Point(0.25, 0.35)];
        Assert.Equal(1, GridSearch.Winner(points, "recall@20"));
    }

    [Fact]
    public void Winner_UsesTheNamedValidMetric()
    {
        GridPoint[] points = [Point(0.20, 0.40), Point(0.30, 0.10)];
        Assert.Equal(0, GridSearch.Winner(points, "ndcg@20")); // valid ndcg@20 is 0.40 vs 0.10 here
    }

    [Fact]
    public void Winner_OnTies_IsTheFirstPoint()
    {
        GridPoint[] points = [Point(0.10, 0.0), Point(0.30, 0.1), Point(0.30, 0.9)];
        Assert.Equal(1, GridSearch.Winner(points, "recall@20"));
    }

    [Fact]
    public void Winner_SkipsPointsWithoutValidMetrics()
    {
        GridPoint[] points = [new GridPoint { Result = new TrainingResult() }, Point(0.01, 0.0)];
        Assert.Equal(1, GridSearch.Winner(points, "recall@20"));
    }
}
