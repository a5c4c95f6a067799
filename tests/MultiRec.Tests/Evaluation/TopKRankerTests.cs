// Checks of the recommendation ranker: excluded items removed (not -1e10), padding, order, blocking.
using MultiRec.Evaluation;
using static MultiRec.Tests.Evaluation.EvaluationTestData;

namespace MultiRec.Tests.Evaluation;

public class TopKRankerTests
{
    [Fact]
    public void ExcludesTrainingItems_BestFirst_TiesByLowerId()
    {
        var (users, items) = EmbeddingsForScores(
            [0.9f, 0.8f, 0.7f, 0.6f, 0.5f, 0.4f],
            [0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f]);
        var train = Csr(6, [0, 2], [1]);
        var ids = new int[2 * 3];
        var scores = new float[2 * 3];
        TopKRanker.Rank(users, items, [0, 1], 3, train, ids, scores);
        // u0 without items 0, 2: 1 (0.8), 3 (0.6), 4 (0.5). u1 without item 1, all tied: 0, 2, 3.
        Assert.Equal([1, 3, 4, 0, 2, 3], ids);
        Assert.Equal([0.8f, 0.6f, 0.5f, 0.5f, 0.5f, 0.5f], scores);
    }

    [Fact]
    public void FewerCandidatesThanK_ArePaddedWithMinusOneAndNaN()
    {
        var (users, items) = EmbeddingsForScores([3f, 2f, 1f, 0f]);
        var ids = new int[5];
        var scores = new float[5];
        TopKRanker.Rank(users, items, [0], 5, Csr(4, [0, 3]), ids, scores);
        Assert.Equal([1, 2, -1, -1, -1], ids);
        Assert.Equal([2f, 1f], scores[..2]);
        Assert.All(scores[2..], s => Assert.True(float.IsNaN(s)));
    }

    [Fact]
    public void WithoutExclusions_RanksAllItems_AndUsersMayRepeatInAnyOrder()
    {
        var (users, items) = EmbeddingsForScores([1f, 3f, 2f], [3f, 2f, 1f]);
        var ids = new int[3 * 2];
        var scores = new float[3 * 2];
        TopKRanker.Rank(users, items, [1, 0, 1], 2, null, ids, scores);
        Assert.Equal([0, 1, 1, 2, 0, 1], ids);
    }

    [Fact]
    public void BlockedRanking_EqualsUnblocked_AndMatchesABruteForceSort()
    {
        const int userCount = 23, itemCount = 41, k = 10;
        var userEmbeddings = RandomIntegers(userCount, 6, seed: 5);
        var itemEmbeddings = RandomIntegers(itemCount, 6, seed: 6);
        var train = RandomSplit(userCount, itemCount, 0, 35, seed: 7);
        int[] users = [.. Enumerable.Range(0, userCount).Reverse()];

        var expected = new int[userCount * k];
        var expectedScores = new float[userCount * k];
        TopKRanker.Rank(userEmbeddings, itemEmbeddings, users, k, train, expected, expectedScores);
        for (var n = 0; n < users.Length; n++)
        {
            var u = users[n];
            var brute = Enumerable.Range(0, itemCount)
                .Where(i => train.ItemsOf(u).IndexOf(i) < 0)
                .OrderByDescending(i => Dot(userEmbeddings.Row(u), itemEmbeddings.Row(i)))
                .ThenBy(i => i)
                .Take(k)
                .ToList();
            while (brute.Count < k)
            {
                brute.Add(-1);
            }

            Assert.Equal(brute, expected[(n * k)..((n + 1) * k)]);
        }

        foreach (var blockBytes in new[] { 1, (itemCount * sizeof(float) * 4) + 1 })
        {
            var blocked = new int[userCount * k];
            var blockedScores = new float[userCount * k];
            TopKRanker.Rank(userEmbeddings, itemEmbeddings, users, k, train, blocked, blockedScores, blockBytes);
            Assert.Equal(expected, blocked);
            Assert.Equal(expectedScores, blockedScores);
        }
    }

    [Fact]
    public void InvalidArguments_Throw()
    {
        var (users, items) = EmbeddingsForScores([1f, 2f]);
        var ids = new int[2];
        var scores = new float[2];
        Assert.Throws<ArgumentOutOfRangeException>(() => TopKRanker.Rank(users, items, [1], 2, null, ids, scores));
        Assert.Throws<ArgumentOutOfRangeException>(() => TopKRanker.Rank(users, items, [0], 0, null, ids, scores));
        Assert.Throws<ArgumentException>(() => TopKRanker.Rank(users, items, [0, 0], 2, null, ids, scores));
        Assert.Throws<ArgumentException>(() => TopKRanker.Rank(users, items, [0], 2, Csr(3, [0]), ids, scores));
    }

    private static float Dot(Span<float> a, Span<float> b)
    {
        // Integer entries: the sum is exact in any order.
        float sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
