// Weighted sampling without replacement: distinct indices, never a zero weight, deterministic per seed, and the
// first draw's frequencies follow the weights.
using MultiRec.Models.Common;

namespace MultiRec.Tests.Models.Common;

public class WeightedSamplerTests
{
    [Fact]
    public void Draws_AreDistinct_AndNeverZeroWeight()
    {
        float[] weights = [1f, 0f, 2f, 0.5f, 0f, 3f, 1f];
        for (var seed = 0UL; seed < 200; seed++)
        {
            var drawn = WeightedSampler.WithoutReplacement(weights, 5, seed);
            Assert.Equal(5, drawn.Distinct().Count());
            Assert.DoesNotContain(1, drawn);
            Assert.DoesNotContain(4, drawn);
        }
    }

    [Fact]
    public void SameSeed_SameDraw_OtherSeeds_Others()
    {
        var weights = Enumerable.Range(1, 30).Select(i => (float)i).ToArray();
        Assert.Equal(WeightedSampler.WithoutReplacement(weights, 6, 9), WeightedSampler.WithoutReplacement(weights, 6, 9));
        var distinct = Enumerable.Range(0, 20).Select(s => string.Join(",", WeightedSampler.WithoutReplacement(weights, 6, (ulong)s))).Distinct().Count();
        Assert.True(distinct > 15, $"only {distinct} different draws over 20 seeds");
    }

    [Fact]
    public void FirstDraw_IsProportionalToTheWeights()
    {
        float[] weights = [1f, 2f, 3f, 4f];
        var counts = new int[4];
        const int trials = 40_000;
        for (var seed = 0UL; seed < trials; seed++)
        {
            counts[WeightedSampler.WithoutReplacement(weights, 2, seed)[0]]++;
        }

        for (var i = 0; i < 4; i++)
        {
            var expected = trials * weights[i] / 10.0;
            Assert.InRange(counts[i], expected - (5 * Math.Sqrt(expected)), expected + (5 * Math.Sqrt(expected)));
        }
    }

    [Fact]
    public void MoreThanThePositiveWeights_IsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WeightedSampler.WithoutReplacement([1f, 0f, 1f], 3, 1));
    }
}
