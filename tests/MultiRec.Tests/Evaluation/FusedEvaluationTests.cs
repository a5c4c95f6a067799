// Checks the tiled evaluator (scoring, masking, top-K, metrics) against a straightforward full-sort reference.
using MultiRec.Data;
using MultiRec.Engine;
using MultiRec.Evaluation;
using static MultiRec.Tests.Evaluation.EvaluationTestData;

namespace MultiRec.Tests.Evaluation;

public class FusedEvaluationTests
{
    [Fact]
    public void EqualsFullSortReference_WithTiesHeavyMasksAndExtraMask()
    {
        // Integer embeddings: exact scores with many ties. Some users have nearly every item masked (fewer
        // unmasked items than K), and 2011 items is no multiple of any tile or vector width.
        const int users = 75, items = 2011;
        var userEmbeddings = RandomIntegers(users, 6, seed: 21);
        var itemEmbeddings = RandomIntegers(items, 6, seed: 22);
        var train = RandomSplit(users, items, 0, 40, seed: 23);
        var heavy = RandomSplit(users, items, 1990, 2000, seed: 24, train);
        var trainRows = Enumerable.Range(0, users).Select(u => (u % 5 == 0 ? heavy : train).ItemsOf(u).ToArray()).ToArray();
        var mask = Csr(items, trainRows);
        var valid = RandomSplit(users, items, 0, 3, seed: 25, mask);
        var test = RandomSplit(users, items, 0, 3, seed: 26, mask, valid);
        var options = new EvaluationOptions { Ks = [1, 5, 20, 50] };
        foreach (var budget in new[] { 1, 5 * items * sizeof(float), 1 << 20 })
        {
            var many = FullRankingEvaluator.EvaluateMany(userEmbeddings, itemEmbeddings, mask, [valid, test], options with { MaxScoreBlockBytes = budget });
            AssertSame(Reference(userEmbeddings, itemEmbeddings, [mask], valid, options.Ks), many[0]);
            AssertSame(Reference(userEmbeddings, itemEmbeddings, [mask], test, options.Ks), many[1]);
        }

        var masked = FullRankingEvaluator.Evaluate(userEmbeddings, itemEmbeddings, mask, test, options with { ExtraMask = valid });
        AssertSame(Reference(userEmbeddings, itemEmbeddings, [mask, valid], test, options.Ks), masked);
    }

    private static void AssertSame(Dictionary<string, double> expected, MetricSet actual)
    {
        foreach (var (key, value) in expected)
        {
            Assert.True(BitConverter.DoubleToInt64Bits(value) == BitConverter.DoubleToInt64Bits(actual.ToDictionary()[key]), $"{key}: {value} vs {actual.ToDictionary()[key]}");
        }
    }

    /// <summary>Full score matrix, masks at -1e10, full sort (higher first, lower id on ties), RankingMetrics, user-order mean.</summary>
    private static Dictionary<string, double> Reference(Tensor userEmbeddings, Tensor itemEmbeddings, UserItemCsr[] masks, UserItemCsr target, IReadOnlyList<int> ks)
    {
        var scores = new Tensor(userEmbeddings.Rows, itemEmbeddings.Rows);
        Gemm.Multiply(userEmbeddings, false, itemEmbeddings, true, scores);
        var kMax = ks.Max();
        var sums = new Dictionary<string, double>();
        var evaluated = target.NonEmptyUsers();
        foreach (var user in evaluated)
        {
            var row = scores.Row(user).ToArray();
            foreach (var mask in masks)
            {
                foreach (var item in mask.ItemsOf(user))
                {
                    row[item] = FullRankingEvaluator.MaskedScore;
                }
            }

            var heldOut = target.ItemsOf(user).ToArray();
            var hits = Enumerable.Range(0, row.Length).OrderByDescending(i => row[i]).ThenBy(i => i).Take(kMax)
                .Select(i => Array.BinarySearch(heldOut, i) >= 0).ToArray();
            foreach (var metric in RankingMetrics.Names)
            {
                foreach (var k in ks)
                {
                    var key = $"{metric}@{k}";
                    sums[key] = sums.GetValueOrDefault(key) + RankingMetrics.Compute(metric, hits, heldOut.Length, k);
                }
            }
        }

        return sums.ToDictionary(kv => kv.Key, kv => kv.Value / evaluated.Length);
    }
}
