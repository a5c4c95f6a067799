// Checks that the one-pass metrics equal RankingMetrics bit for bit at every cut-off.
using MultiRec.Evaluation;

namespace MultiRec.Tests.Evaluation;

public class RankedListMetricsTests
{
    [Fact]
    public void EqualsRankingMetrics_BitForBit()
    {
        var random = new Random(3);
        int[] ks = [1, 3, 5, 10, 20, 50];
        var metrics = new RankedListMetrics(ks);
        var output = new double[metrics.ValuesPerUser];
        for (var trial = 0; trial < 500; trial++)
        {
            var length = random.Next(0, 60); // lists shorter than some cut-offs too
            var ranked = Enumerable.Range(0, 80).OrderBy(_ => random.Next()).Take(length).ToArray();
            var heldOut = Enumerable.Range(0, 80).Where(_ => random.Next(8) == 0).DefaultIfEmpty(random.Next(80)).Distinct().Order().ToArray();
            metrics.Compute(ranked, heldOut, output);
            var hits = ranked.Select(item => Array.BinarySearch(heldOut, item) >= 0).ToArray();
            for (var m = 0; m < RankingMetrics.Names.Count; m++)
            {
                for (var ki = 0; ki < ks.Length; ki++)
                {
                    var expected = RankingMetrics.Compute(RankingMetrics.Names[m], hits, heldOut.Length, ks[ki]);
                    Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(output[(m * ks.Length) + ki]));
                }
            }
        }
    }
}
