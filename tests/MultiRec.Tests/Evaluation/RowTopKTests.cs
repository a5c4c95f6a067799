// Checks of the whole-row top-K against a full sort: ties, NaN, masked items, odd lengths, short rows.
using MultiRec.Evaluation;

namespace MultiRec.Tests.Evaluation;

public class RowTopKTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(50)]
    public void EqualsFullSort_OnRandomRows(int k) => CheckRandomRows(k);

    [Theory]
    [InlineData(5)]
    [InlineData(50)]
    public void EqualsFullSort_WithThe256BitCandidatePass(int k)
    {
        RowTopK.Use512BitCollect = false;
        try
        {
            CheckRandomRows(k);
        }
        finally
        {
            RowTopK.Use512BitCollect = true;
        }
    }

    private static void CheckRandomRows(int k)
    {
        var random = new Random(11 + k);
        var topK = new RowTopK(k, 9000);
        for (var trial = 0; trial < 300; trial++)
        {
            // Lengths around and far from every group / vector width, incl. fewer items than K (the general path).
            var length = trial % 5 == 0 ? random.Next(1, 2 * k + 2) : random.Next(1, 9000);
            var scores = RandomRow(random, length, trial);
            var (expectedItems, expectedScores) = Reference(scores, k);
            var items = new int[k];
            var values = new float[k];
            var n = topK.Select(scores, items, values);
            Assert.Equal(expectedItems, items[..n]);
            Assert.Equal(expectedScores, values[..n]);
        }
    }

    [Fact]
    public void OrdinaryRows_TakeTheFloorPath()
    {
        var random = new Random(8);
        var topK = new RowTopK(50, 7050);
        var items = new int[50];
        var values = new float[50];
        for (var trial = 0; trial < 20; trial++)
        {
            var scores = RandomRow(random, 7050, 2 * trial); // ties and masked items, no NaN
            topK.Select(scores, items, values);
            Assert.Equal(Reference(scores, 50).Items, items);
        }

        Assert.Equal(0, topK.FallbackRows);
        topK.Select(RandomRow(random, 300, 0), items, values); // fewer groups than K: the general path
        Assert.Equal(1, topK.FallbackRows);
    }

    [Fact]
    public void ManyMaskedItems_AndFewerUnmaskedThanK_RankMaskedByItemId()
    {
        const int k = 50;
        var random = new Random(5);
        var topK = new RowTopK(k, 7050);
        foreach (var unmasked in new[] { 0, 1, 20, 49, 50, 51, 300 })
        {
            var scores = Enumerable.Repeat(FullRankingEvaluator.MaskedScore, 7050).ToArray();
            foreach (var item in Enumerable.Range(0, 7050).OrderBy(_ => random.Next()).Take(unmasked))
            {
                scores[item] = random.NextSingle() - 0.5f;
            }

            var items = new int[k];
            var values = new float[k];
            Assert.Equal(k, topK.Select(scores, items, values));
            Assert.Equal(Reference(scores, k).Items, items);
        }
    }

    [Fact]
    public void SignedZerosTie_InfinitiesAndNaNPlaced()
    {
        const int k = 3;
        var scores = new float[4000];
        scores.AsSpan().Fill(-5f);
        scores[3000] = 0f;
        scores[1000] = -0f;
        scores[2000] = float.PositiveInfinity;
        scores[10] = float.NaN;
        var items = new int[k];
        var values = new float[k];
        new RowTopK(k, 4000).Select(scores, items, values);
        Assert.Equal([2000, 1000, 3000], items); // −0 and +0 tie: lower id first

        // The whole row: NaN ranks as −∞, so it comes after every finite score; a −∞ ties with it (lower id first).
        scores[20] = float.NegativeInfinity;
        var all = new int[4000];
        new RowTopK(4000, 4000).Select(scores, all, new float[4000]);
        Assert.Equal([10, 20], all[^2..]);
        Assert.Equal([2000, 1000, 3000], all[..3]);
    }

    [Fact]
    public void SortKey_OrdersByScoreDescendingThenItem()
    {
        float[] ordered = [float.PositiveInfinity, 3e38f, 1f, 1e-45f, 0f, -1e-45f, -1f, -1e10f, float.NegativeInfinity];
        var keys = ordered.Select((s, i) => RowTopK.SortKey(s, 100 - i)).ToArray();
        Assert.Equal(keys.Order(), keys);
        Assert.True(RowTopK.SortKey(2f, 3) < RowTopK.SortKey(2f, 4));
        Assert.Equal(RowTopK.SortKey(0f, 7), RowTopK.SortKey(-0f, 7));
    }

    /// <summary>Random scores: continuous, few distinct values (ties), masked entries, sometimes NaN and infinities.</summary>
    internal static float[] RandomRow(Random random, int length, int trial)
    {
        var fewValues = trial % 2 == 0;
        var scores = new float[length];
        for (var i = 0; i < length; i++)
        {
            scores[i] = random.Next(10) == 0 ? FullRankingEvaluator.MaskedScore : fewValues ? random.Next(6) : random.NextSingle();
        }

        if (trial % 3 == 2)
        {
            scores[random.Next(length)] = float.NaN;
        }

        if (trial % 7 == 3)
        {
            scores[random.Next(length)] = float.NegativeInfinity;
            scores[random.Next(length)] = float.PositiveInfinity;
        }

        return scores;
    }

    /// <summary>The straightforward definition: full sort, higher score first, NaN as −∞, ties by lower id.</summary>
    internal static (int[] Items, float[] Scores) Reference(float[] scores, int k)
    {
        var items = Enumerable.Range(0, scores.Length)
            .OrderByDescending(i => float.IsNaN(scores[i]) ? float.NegativeInfinity : scores[i])
            .ThenBy(i => i)
            .Take(k)
            .ToArray();
        return (items, items.Select(i => float.IsNaN(scores[i]) ? float.NegativeInfinity : scores[i]).ToArray());
    }
}
