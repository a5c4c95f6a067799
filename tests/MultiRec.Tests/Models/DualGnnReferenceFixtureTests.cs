// DualGNN against MMRec's own DualGNN model (fixtures/models/dualgnn: image + text, dualgnn_text: text only): the
// user co-occurrence graph against the reference's preprocessing, the per-epoch k-sample from the injected padding
// picks, then loss, gradients, parameters and Adam moments after each of 4 steps and the stale scores per epoch.
using MultiRec.Engine;
using MultiRec.Models.DualGnn;
using MultiRec.Models.Graph;

namespace MultiRec.Tests.Models;

public class DualGnnReferenceFixtureTests
{
    private static readonly string[] Cache = ["result_embed.users", "result_embed.items"];

    private static DualGnn Model(ZooFixture fixture, bool staleScores = true) => new(
        ZooFixture.LoadData(),
        new DualGnnOptions
        {
            EmbeddingSize = 64,
            RegWeight = fixture.SettingDouble("reg_weight"),
            UserNeighbours = 3,
            StaleScores = staleScores,
            Modalities = fixture.Config.GetProperty("modalities").EnumerateArray().Select(m => m.GetString()!).ToList(),
        },
        seed: 1);

    /// <summary>The reference's user_graph_dict (its order among tied counts is torch.topk's).</summary>
    private static UserCooccurrenceGraph ReferenceGraph(ZooFixture fixture)
    {
        var ptr = fixture.Ints("user_graph_ptr.npy");
        var ids = fixture.Ints("user_graph_ids.npy");
        var counts = fixture.Floats("user_graph_counts.npy");
        return UserCooccurrenceGraph.FromLists([.. Enumerable.Range(0, ptr.Length - 1).Select(u => (ids[ptr[u]..ptr[u + 1]], counts[ptr[u]..ptr[u + 1]]))]);
    }

    private static DualGnn Prepared(ZooFixture fixture, bool staleScores = true)
    {
        var model = Model(fixture, staleScores);
        fixture.LoadInit(model, Cache);
        model.UserGraph = ReferenceGraph(fixture);
        model.PaddingHook = epoch =>
        {
            var picks = fixture.Ints($"epoch{epoch - 1}/padding_picks.npy");
            var next = 0;
            return length =>
            {
                Assert.Equal(picks[2 * next], length);
                return picks[(2 * next++) + 1];
            };
        };
        return model;
    }

    [Theory]
    [InlineData("dualgnn")]
    [InlineData("dualgnn_text")]
    public void FourAdamSteps_MatchTheReference(string caseName)
    {
        var fixture = new ZooFixture(caseName);
        var model = Prepared(fixture);
        fixture.Replay(model, new ReplayTolerances { OursOnly = Cache }, beforeStep: step =>
        {
            if (step % 2 == 0)
            {
                AssertEpochGraph(fixture, step / 2, model.EpochUserGraph!);
            }
        });
    }

    [Fact]
    public void UserGraph_HasTheReferencesNeighboursAndCounts_UpToTheOrderOfTies()
    {
        var fixture = new ZooFixture("dualgnn");
        var reference = ReferenceGraph(fixture);
        var ours = UserCooccurrenceGraph.Build(ZooFixture.LoadData().Train);
        Assert.Equal(reference.Users, ours.Users);
        for (var u = 0; u < ours.Users; u++)
        {
            var expected = reference.NeighboursOf(u).ToArray().Zip(reference.CountsOf(u).ToArray()).OrderBy(x => x.First).ToList();
            var actual = ours.NeighboursOf(u).ToArray().Zip(ours.CountsOf(u).ToArray()).OrderBy(x => x.First).ToList();
            Assert.Equal(expected, actual);
            Assert.Equal(reference.CountsOf(u).ToArray(), ours.CountsOf(u).ToArray());   // both ranked by count
        }
    }

    [Fact]
    public void RecomputedScores_DifferFromTheStaleOnes_ByTheLastStep()
    {
        var fixture = new ZooFixture("dualgnn");
        var stale = Prepared(fixture);
        var fresh = Prepared(fixture, staleScores: false);
        foreach (var model in new[] { stale, fresh })
        {
            var optimizer = new MultiRec.Training.AdamOptimizer(model.Parameters, 1e-3);
            model.BeginEpoch(1, 0);
            for (var step = 0; step < 2; step++)
            {
                optimizer.ZeroGrad();
                model.ForwardBackward(fixture.Batch(step));
                optimizer.Step();
            }
        }

        var expected = fixture.Floats("epoch0/scores.npy");
        var (su, si) = stale.ScoringEmbeddings();
        var (fu, fi) = fresh.ScoringEmbeddings();
        ZooFixture.AssertClose(expected, ZooFixture.Scores(su, si), 1e-5, 1e-6, "stale scores");
        var recomputed = ZooFixture.Scores(fu, fi);
        Assert.Contains(Enumerable.Range(0, expected.Length), k => Math.Abs(expected[k] - recomputed[k]) > 1e-4);
    }

    /// <summary>S from the reference's epoch_user_graph (U × k ids) and user_weight_matrix (U × k weights).</summary>
    private static void AssertEpochGraph(ZooFixture fixture, int epoch, CsrMatrix graph)
    {
        var ids = fixture.Ints($"epoch{epoch}/epoch_user_graph.npy");
        var weights = fixture.Floats($"epoch{epoch}/user_weight_matrix.npy");
        var k = 3;
        for (var u = 0; u < graph.Rows; u++)
        {
            var expected = new SortedDictionary<int, double>();
            for (var j = 0; j < k; j++)
            {
                if (weights[(u * k) + j] != 0f)
                {
                    expected[ids[(u * k) + j]] = expected.GetValueOrDefault(ids[(u * k) + j]) + weights[(u * k) + j];
                }
            }

            var start = graph.RowPtr[u];
            var count = graph.RowPtr[u + 1] - start;
            Assert.Equal(expected.Keys.ToArray(), graph.ColIdx.AsSpan(start, count).ToArray());
            Assert.All(Enumerable.Range(0, count), j => Assert.Equal(expected.Values.ElementAt(j), graph.Values[start + j], 1e-6));
        }
    }
}
