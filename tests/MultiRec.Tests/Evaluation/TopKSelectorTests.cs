// Checks of the streaming top-K heap: order, tie rule, NaN, exclusions, and agreement with a full sort.
using MultiRec.Evaluation;

namespace MultiRec.Tests.Evaluation;

public class TopKSelectorTests
{
    [Fact]
    public void KeepsBestFirst_EqualScoresLowerIdFirst()
    {
        float[] scores = [0.5f, 0.9f, 0.5f, 0.1f, 0.9f, 0.5f];
        var (items, values) = Select(scores, [], 4);
        // 0.9 at items 1 and 4 (lower id first), then 0.5 at items 0, 2, 5: the first two of those are kept.
        Assert.Equal([1, 4, 0, 2], items);
        Assert.Equal([0.9f, 0.9f, 0.5f, 0.5f], values);
    }

    [Fact]
    public void NaNRanksAsNegativeInfinity()
    {
        float[] scores = [float.NaN, -1f, float.NegativeInfinity, 2f];
        var (items, _) = Select(scores, [], 4);
        // 2 > -1 > (NaN as -inf at id 0, -inf at id 2: tie, lower id first)
        Assert.Equal([3, 1, 0, 2], items);
    }

    [Fact]
    public void ExcludedItemsAreSkipped_FewerThanKWhenCandidatesRunOut()
    {
        float[] scores = [5f, 4f, 3f, 2f, 1f];
        var (items, values) = Select(scores, [0, 2, 3, 9], 4);
        Assert.Equal([1, 4], items);
        Assert.Equal([4f, 1f], values);
    }

    [Fact]
    public void IsReusableAfterDrain()
    {
        var selector = new TopKSelector(2);
        var items = new int[2];
        var values = new float[2];
        selector.OfferRange([1f, 3f, 2f], 0);
        Assert.Equal(2, selector.DrainSorted(items, values));
        Assert.Equal([1, 2], items);
        selector.OfferRange([7f], 10);
        Assert.Equal(1, selector.DrainSorted(items, values));
        Assert.Equal(10, items[0]);
    }

    [Theory]
    [InlineData(1, 1, 0)]
    [InlineData(7, 300, 1)]
    [InlineData(50, 1000, 2)]
    [InlineData(50, 40, 3)]
    [InlineData(16, 257, 4)]
    public void MatchesAFullSort_WithManyTiesAndExclusions(int k, int length, int seed)
    {
        var random = new Random(seed);
        for (var trial = 0; trial < 20; trial++)
        {
            // Few distinct values (many ties), an occasional NaN, an ascending list of excluded ids.
            var scores = new float[length];
            for (var i = 0; i < length; i++)
            {
                scores[i] = random.Next(50) == 0 ? float.NaN : random.Next(trial % 2 == 0 ? 8 : 100000);
            }

            var excluded = Enumerable.Range(0, length).Where(_ => random.Next(4) == 0).ToArray();
            var expected = Enumerable.Range(0, length)
                .Where(i => Array.BinarySearch(excluded, i) < 0)
                .OrderByDescending(i => float.IsNaN(scores[i]) ? float.NegativeInfinity : scores[i])
                .ThenBy(i => i)
                .Take(k)
                .ToArray();
            var (items, _) = Select(scores, excluded, k);
            Assert.Equal(expected, items);
        }
    }

    [Theory]
    [InlineData(50, 7050, 5, false)]
    [InlineData(50, 7050, 6, true)]
    [InlineData(10, 1300, 7, false)]
    [InlineData(20, 64 * 45 + 17, 8, true)]
    public void OfferAll_MatchesAFullSort(int k, int length, int seed, bool fewValues)
    {
        var random = new Random(seed);
        for (var trial = 0; trial < 10; trial++)
        {
            // Ties (few distinct values), masked entries at -1e10, and in some trials a NaN (the general path).
            var scores = new float[length];
            for (var i = 0; i < length; i++)
            {
                scores[i] = random.Next(10) == 0 ? -1e10f : fewValues ? random.Next(6) : (float)random.NextDouble();
            }

            if (trial % 3 == 2)
            {
                scores[random.Next(length)] = float.NaN;
            }

            var expected = Enumerable.Range(0, length)
                .OrderByDescending(i => float.IsNaN(scores[i]) ? float.NegativeInfinity : scores[i])
                .ThenBy(i => i)
                .Take(k)
                .ToArray();
            var selector = new TopKSelector(k);
            selector.OfferAll(scores);
            var items = new int[k];
            var values = new float[k];
            Assert.Equal(k, selector.DrainSorted(items, values));
            Assert.Equal(expected, items);
        }
    }

    private static (int[] Items, float[] Values) Select(float[] scores, int[] excluded, int k)
    {
        var selector = new TopKSelector(k);
        selector.OfferRow(scores, excluded);
        var items = new int[k];
        var values = new float[k];
        var n = selector.DrainSorted(items, values);
        return (items[..n], values[..n]);
    }
}
