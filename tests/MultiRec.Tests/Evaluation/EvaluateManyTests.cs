// One scoring pass for several held-out splits gives exactly the metrics of separate evaluations.
using MultiRec.Evaluation;
using static MultiRec.Tests.Evaluation.EvaluationTestData;

namespace MultiRec.Tests.Evaluation;

public class EvaluateManyTests
{
    [Fact]
    public void EvaluateMany_EqualsSeparateEvaluations()
    {
        const int users = 120, items = 90;
        var u = RandomIntegers(users, 8, seed: 1);
        var i = RandomIntegers(items, 8, seed: 2);
        var train = RandomSplit(users, items, 1, 12, seed: 3);
        var valid = RandomSplit(users, items, 0, 3, seed: 4, train);
        var test = RandomSplit(users, items, 0, 4, seed: 5, train, valid);
        var both = FullRankingEvaluator.EvaluateMany(u, i, train, [valid, test]);
        var alone = new[] { FullRankingEvaluator.Evaluate(u, i, train, valid), FullRankingEvaluator.Evaluate(u, i, train, test) };
        for (var t = 0; t < 2; t++)
        {
            Assert.Equal(alone[t].UsersEvaluated, both[t].UsersEvaluated);
            Assert.Equal(alone[t].ToDictionary(), both[t].ToDictionary());
        }
    }
}
