// The negative sampler: never a training item of the user, only items that occur in training, deterministic per
// seed, roughly uniform over the allowed items.
using MultiRec.Data;
using MultiRec.Models.Common;

namespace MultiRec.Tests.Models.Common;

public class NegativeSamplerTests
{
    // 4 users, 8 items; item 7 has no training row; user 3 owns items 0..5 (only item 6 is left for it).
    private static readonly UserItemCsr Train = UserItemCsr.FromPairs(
        4, 8,
        [0, 0, 1, 1, 1, 2, 3, 3, 3, 3, 3, 3],
        [0, 1, 2, 3, 4, 6, 0, 1, 2, 3, 4, 5]);

    [Fact]
    public void Pool_IsTheItemsThatOccurInTraining()
    {
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], new NegativeSampler(Train).Pool);
    }

    [Fact]
    public void Negatives_AreNeverTheUsersTrainingItems_NorItemsWithoutTrainingRows()
    {
        var sampler = new NegativeSampler(Train);
        var users = Enumerable.Range(0, 4000).Select(k => k % 4).ToArray();
        var negatives = new int[users.Length];
        sampler.Sample(users, negatives, seed: 11);
        for (var k = 0; k < users.Length; k++)
        {
            Assert.DoesNotContain(negatives[k], Train.ItemsOf(users[k]).ToArray());
            Assert.NotEqual(7, negatives[k]);
            Assert.InRange(negatives[k], 0, 6);
        }

        Assert.All(negatives.Where((_, k) => users[k] == 3), n => Assert.Equal(6, n));
    }

    [Fact]
    public void SameSeed_SameNegatives_OtherSeed_Others()
    {
        var sampler = new NegativeSampler(Train);
        int[] users = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2];
        var a = new int[users.Length];
        var b = new int[users.Length];
        var c = new int[users.Length];
        sampler.Sample(users, a, 5);
        sampler.Sample(users, b, 5);
        sampler.Sample(users, c, 6);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Negatives_AreRoughlyUniformOverTheAllowedItems()
    {
        // User 0 may get items 2..6 (5 items): each should get about a fifth of 50,000 draws.
        var sampler = new NegativeSampler(Train);
        var users = new int[50_000];
        var negatives = new int[users.Length];
        sampler.Sample(users, negatives, 123);
        var counts = negatives.GroupBy(n => n).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal([2, 3, 4, 5, 6], counts.Keys.Order());
        Assert.All(counts.Values, n => Assert.InRange(n, 9_500, 10_500)); // 10,000 ± 5.6 standard deviations
    }

    [Fact]
    public void AUserWithEveryTrainingItem_IsRejected()
    {
        var train = UserItemCsr.FromPairs(2, 2, [0, 0, 1], [0, 1, 0]);
        var e = Assert.Throws<InvalidOperationException>(() => new NegativeSampler(train).Sample([0], new int[1], 1));
        Assert.Contains("user 0", e.Message);
    }
}
