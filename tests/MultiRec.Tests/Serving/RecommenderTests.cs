// Tests of the single-query ranker: against brute force, against TopKRanker, exclusion modes, cosine, threads.
using MultiRec.Evaluation;
using MultiRec.Serving;

namespace MultiRec.Tests.Serving;

public class RecommenderTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(37, 5)]
    [InlineData(64, 31)]
    [InlineData(65, 64)]
    [InlineData(200, 16)]
    public void Recommend_MatchesBruteForceForEveryExcludeMode(int items, int dims)
    {
        var model = ServingTestData.RandomModel(users: 20, items, dims, seed: items + dims);
        var recommender = new Recommender(model);

        foreach (var mode in Enum.GetValues<ExcludeMode>())
        {
            for (var user = 0; user < model.Users; user++)
            {
                var excluded = model.Excluded(mode) is { } csr ? csr.ItemsOf(user).ToArray().ToHashSet() : [];
                var expected = ServingTestData.BruteForce(model.UserEmbeddings.Row(user), model.ItemEmbeddings, 10, excluded);

                var actual = recommender.Recommend(user, 10, mode);

                AssertSameRanking(expected, actual);
            }
        }
    }

    [Fact]
    public void Recommend_ExcludeModesRemoveExactlyTheirSplits()
    {
        var model = ServingTestData.RandomModel(users: 30, items: 50, dims: 8, seed: 9);
        var recommender = new Recommender(model);

        for (var user = 0; user < model.Users; user++)
        {
            var all = recommender.Recommend(user, model.Items, ExcludeMode.None).Select(s => s.Item).ToHashSet();
            Assert.Equal(model.Items, all.Count);
            foreach (var mode in new[] { ExcludeMode.Train, ExcludeMode.TrainValid, ExcludeMode.All })
            {
                var excluded = model.Excluded(mode)!.ItemsOf(user).ToArray();
                var kept = recommender.Recommend(user, model.Items, mode).Select(s => s.Item).ToHashSet();
                Assert.Equal(all.Except(excluded).Order(), kept.Order());
            }
        }

        Assert.Null(model.Excluded(ExcludeMode.None));
    }

    [Fact]
    public void Recommend_AgreesWithTopKRanker()
    {
        var model = ServingTestData.RandomModel(users: 50, items: 300, dims: 24, seed: 4);
        var recommender = new Recommender(model);
        var users = Enumerable.Range(0, model.Users).ToArray();
        const int K = 20;
        var items = new int[users.Length * K];
        var scores = new float[users.Length * K];

        TopKRanker.Rank(model.UserEmbeddings, model.ItemEmbeddings, users, K, model.Excluded(ExcludeMode.Train), items, scores);

        foreach (var user in users)
        {
            var mine = recommender.Recommend(user, K, ExcludeMode.Train);
            Assert.Equal(items.AsSpan(user * K, K).ToArray(), mine.Select(s => s.Item));
            for (var r = 0; r < K; r++)
            {
                Assert.Equal(scores[(user * K) + r], mine[r].Score, 1e-5f);
            }
        }
    }

    [Fact]
    public void Recommend_ReturnsFewerItemsWhenFewerCandidatesRemain()
    {
        var model = ServingTestData.RandomModel(users: 5, items: 12, dims: 4, seed: 2, perUser: 6);
        var recommender = new Recommender(model);

        var ranked = recommender.Recommend(0, 1000, ExcludeMode.Train);

        Assert.Equal(model.Items - model.Excluded(ExcludeMode.Train)!.Degree(0), ranked.Length);
        Assert.Equal(ranked.OrderByDescending(s => s.Score).ThenBy(s => s.Item), ranked);
    }

    [Fact]
    public void Similar_IsCosineRankingWithoutTheItemItself()
    {
        var model = ServingTestData.RandomModel(users: 3, items: 90, dims: 12, seed: 8);
        var recommender = new Recommender(model);
        var normalised = model.ItemEmbeddings.Clone();
        for (var i = 0; i < normalised.Rows; i++)
        {
            var row = normalised.Row(i);
            var norm = MathF.Sqrt(row.ToArray().Sum(v => v * v));
            for (var j = 0; j < row.Length; j++)
            {
                row[j] /= norm;
            }
        }

        for (var item = 0; item < model.Items; item++)
        {
            var expected = ServingTestData.BruteForce(normalised.Row(item), normalised, 7, new HashSet<int> { item });

            var actual = recommender.Similar(item, 7);

            AssertSameRanking(expected, actual);
            Assert.All(actual, s => Assert.InRange(s.Score, -1.0001f, 1.0001f));
        }
    }

    [Fact]
    public void Similar_ZeroVectorScoresZeroInsteadOfNaN()
    {
        var model = ServingTestData.RandomModel(users: 2, items: 10, dims: 3, seed: 5);
        model.ItemEmbeddings.Row(4).Clear();
        var recommender = new Recommender(model);

        var fromZero = recommender.Similar(4, 3);
        var toZero = recommender.Similar(0, 9).Single(s => s.Item == 4);

        Assert.All(fromZero, s => Assert.Equal(0f, s.Score));
        Assert.Equal(0f, toZero.Score);
    }

    [Fact]
    public void Queries_FromManyThreadsMatchSequentialAnswers()
    {
        var model = ServingTestData.RandomModel(users: 200, items: 150, dims: 16, seed: 6);
        var recommender = new Recommender(model);
        var expected = Enumerable.Range(0, model.Users).Select(u => recommender.Recommend(u, 1 + (u % 13), ExcludeMode.Train)).ToArray();

        var actual = new ScoredItem[model.Users][];
        Parallel.For(0, model.Users * 5, new ParallelOptions { MaxDegreeOfParallelism = 8 }, n =>
        {
            var user = n % model.Users;
            var result = recommender.Recommend(user, 1 + (user % 13), ExcludeMode.Train);
            _ = recommender.Similar(user % model.Items, 1 + (n % 40));
            actual[user] = result;
        });

        for (var u = 0; u < model.Users; u++)
        {
            Assert.Equal(expected[u], actual[u]);
        }
    }

    [Fact]
    public void Arguments_OutOfRangeAreRejected()
    {
        var recommender = new Recommender(ServingTestData.RandomModel(users: 3, items: 10, dims: 2));

        Assert.Throws<ArgumentOutOfRangeException>(() => recommender.Recommend(3, 5, ExcludeMode.Train));
        Assert.Throws<ArgumentOutOfRangeException>(() => recommender.Recommend(-1, 5, ExcludeMode.Train));
        Assert.Throws<ArgumentOutOfRangeException>(() => recommender.Recommend(0, 0, ExcludeMode.Train));
        Assert.Throws<ArgumentOutOfRangeException>(() => recommender.Similar(10, 5));
    }

    private static void AssertSameRanking(ScoredItem[] expected, ScoredItem[] actual)
    {
        Assert.Equal(expected.Select(s => s.Item), actual.Select(s => s.Item));
        for (var r = 0; r < expected.Length; r++)
        {
            Assert.Equal(expected[r].Score, actual[r].Score, 1e-4f);
        }
    }
}
