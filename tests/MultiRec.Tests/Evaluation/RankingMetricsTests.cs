// Hand-computed checks of the per-user Recall, Precision, NDCG and MAP formulas.
using MultiRec.Evaluation;

namespace MultiRec.Tests.Evaluation;

public class RankingMetricsTests
{
    private const double Tolerance = 1e-12;

    // log2(3) = 1.584962500721156, so 1/log2(3) = 0.6309297535714575; 1/log2(4) = 0.5; 1/log2(6) = 0.3868528072345416.
    private static readonly double InvLog2Of3 = 1 / Math.Log2(3);

    [Fact]
    public void HitsAtRanksOneAndThree_ThreeRelevant_AtFive()
    {
        bool[] hits = [true, false, true, false, false];
        // Recall@5 = 2 hits / n_u 3 = 0.6667
        Assert.Equal(2.0 / 3.0, RankingMetrics.Recall(hits, 3, 5), Tolerance);
        // Precision@5 = 2 hits / K 5 = 0.4
        Assert.Equal(0.4, RankingMetrics.Precision(hits, 5), Tolerance);
        // DCG = 1/log2(2) + 1/log2(4) = 1 + 0.5 = 1.5; IDCG over min(3,5)=3 ranks = 1 + 0.63093 + 0.5 = 2.13093
        // NDCG@5 = 1.5 / 2.13093 = 0.70392
        Assert.Equal(1.5 / (1 + InvLog2Of3 + 0.5), RankingMetrics.Ndcg(hits, 3, 5), Tolerance);
        Assert.Equal(0.7039180890341347, RankingMetrics.Ndcg(hits, 3, 5), 1e-12);
        // MAP@5 = (P@1·1 + P@3·1) / min(3,5) = (1 + 2/3) / 3 = 5/9
        Assert.Equal(5.0 / 9.0, RankingMetrics.AveragePrecision(hits, 3, 5), Tolerance);
    }

    [Fact]
    public void SameHits_AtTwo_OnlyCountTheFirstTwoRanks()
    {
        bool[] hits = [true, false, true, false, false];
        // Recall@2 = 1/3; Precision@2 = 1/2
        Assert.Equal(1.0 / 3.0, RankingMetrics.Recall(hits, 3, 2), Tolerance);
        Assert.Equal(0.5, RankingMetrics.Precision(hits, 2), Tolerance);
        // DCG = 1; IDCG over min(3,2)=2 ranks = 1 + 0.63093 → NDCG@2 = 1 / 1.63093 = 0.61315
        Assert.Equal(1 / (1 + InvLog2Of3), RankingMetrics.Ndcg(hits, 3, 2), Tolerance);
        // MAP@2 = P@1·1 / min(3,2) = 1/2
        Assert.Equal(0.5, RankingMetrics.AveragePrecision(hits, 3, 2), Tolerance);
    }

    [Fact]
    public void MoreRelevantThanK_RecallUsesFullCount_IdcgAndMapUseK()
    {
        bool[] hits = [false, true, true];
        // Recall@3 = 2 / 10 (the full n_u, not min(n_u, K))
        Assert.Equal(0.2, RankingMetrics.Recall(hits, 10, 3), Tolerance);
        // Precision@3 = 2/3
        Assert.Equal(2.0 / 3.0, RankingMetrics.Precision(hits, 3), Tolerance);
        // DCG = 1/log2(3) + 1/log2(4) = 1.13093; IDCG over min(10,3)=3 ranks = 2.13093 → 0.53072
        Assert.Equal((InvLog2Of3 + 0.5) / (1 + InvLog2Of3 + 0.5), RankingMetrics.Ndcg(hits, 10, 3), Tolerance);
        // MAP@3 = (P@2 + P@3) / min(10,3) = (1/2 + 2/3) / 3 = 7/18
        Assert.Equal(7.0 / 18.0, RankingMetrics.AveragePrecision(hits, 10, 3), Tolerance);
    }

    [Fact]
    public void HitsAtTwoAndFive_TwoRelevant_AtFive()
    {
        bool[] hits = [false, true, false, false, true];
        // DCG = 1/log2(3) + 1/log2(6) = 0.63093 + 0.38685 = 1.01778; IDCG over 2 ranks = 1.63093 → 0.62405
        Assert.Equal((InvLog2Of3 + (1 / Math.Log2(6))) / (1 + InvLog2Of3), RankingMetrics.Ndcg(hits, 2, 5), Tolerance);
        // MAP@5 = (P@2 + P@5) / min(2,5) = (1/2 + 2/5) / 2 = 0.45
        Assert.Equal(0.45, RankingMetrics.AveragePrecision(hits, 2, 5), Tolerance);
    }

    [Fact]
    public void ShorterHitVectorThanK_MissingRanksAreMisses()
    {
        bool[] hits = [true];
        // One candidate, one relevant item, K = 5: Recall 1/1, Precision 1/5, NDCG 1/1, MAP (P@1·1)/min(1,5) = 1
        Assert.Equal(1.0, RankingMetrics.Recall(hits, 1, 5), Tolerance);
        Assert.Equal(0.2, RankingMetrics.Precision(hits, 5), Tolerance);
        Assert.Equal(1.0, RankingMetrics.Ndcg(hits, 1, 5), Tolerance);
        Assert.Equal(1.0, RankingMetrics.AveragePrecision(hits, 1, 5), Tolerance);
    }

    [Fact]
    public void NoHits_AllZero()
    {
        bool[] hits = [false, false, false, false, false];
        foreach (var metric in RankingMetrics.Names)
        {
            Assert.Equal(0.0, RankingMetrics.Compute(metric, hits, 4, 5));
        }
    }

    [Fact]
    public void Compute_DispatchesByName()
    {
        bool[] hits = [true, false, true, false, false];
        Assert.Equal(RankingMetrics.Recall(hits, 3, 5), RankingMetrics.Compute("recall", hits, 3, 5));
        Assert.Equal(RankingMetrics.Ndcg(hits, 3, 5), RankingMetrics.Compute("ndcg", hits, 3, 5));
        Assert.Equal(RankingMetrics.Precision(hits, 5), RankingMetrics.Compute("precision", hits, 3, 5));
        Assert.Equal(RankingMetrics.AveragePrecision(hits, 3, 5), RankingMetrics.Compute("map", hits, 3, 5));
        Assert.Throws<ArgumentException>(() => RankingMetrics.Compute("mrr", hits, 3, 5));
    }

    [Fact]
    public void InvalidArguments_Throw()
    {
        bool[] hits = [true];
        Assert.Throws<ArgumentOutOfRangeException>(() => RankingMetrics.Recall(hits, 0, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => RankingMetrics.Ndcg(hits, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => RankingMetrics.Precision(hits, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => RankingMetrics.AveragePrecision(hits, -1, 5));
    }
}
