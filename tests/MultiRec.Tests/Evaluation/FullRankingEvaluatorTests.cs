// Hand-computed evaluations: masking at -1e10, tie rule, unevaluated users, extra mask, blocking, validation.
using MultiRec.Evaluation;
using static MultiRec.Tests.Evaluation.EvaluationTestData;

namespace MultiRec.Tests.Evaluation;

public class FullRankingEvaluatorTests
{
    private const double Tolerance = 1e-12;
    private static readonly double InvLog2Of3 = 1 / Math.Log2(3);   // 0.63093
    private static readonly double InvLog2Of5 = 1 / Math.Log2(5);   // 0.43068
    private static readonly double InvLog2Of6 = 1 / Math.Log2(6);   // 0.38685

    // Score(u, i) = scores[u][i] over 6 items.
    // u0: train {0}; target {2, 5}. Ranking 1, 2, 3, 4, 5, then masked 0 → hits at ranks 2 and 5.
    // u1: no target item → not evaluated (its scores would otherwise give hits).
    // u2: all scores tie, nothing masked; target {3}. Tie rule lower id first: ranking 0..5 → hit at rank 4.
    private static readonly float[][] Scores =
    [
        [0.9f, 0.8f, 0.7f, 0.6f, 0.5f, 0.4f],
        [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f],
        [0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f],
    ];

    private static readonly EvaluationOptions Cutoffs = new() { Ks = [5, 2] };

    [Fact]
    public void HandComputedCase_AveragesOverUsersWithHeldOutItems()
    {
        var (users, items) = EmbeddingsForScores(Scores);
        var train = Csr(6, [0], [5], []);
        var target = Csr(6, [2, 5], [], [3]);
        var result = FullRankingEvaluator.Evaluate(users, items, train, target, Cutoffs);

        Assert.Equal(2, result.UsersEvaluated);
        Assert.Equal([2, 5], result.Ks);
        // K=2. u0: hits [0,1]: recall 1/2, precision 1/2, NDCG (1/log2 3)/(1 + 1/log2 3) = 0.38685, MAP (P@2=1/2)/min(2,2) = 1/4.
        //      u2: no hit in the top 2 → all 0. Means: recall 1/4, precision 1/4, NDCG 0.19343, MAP 1/8.
        Assert.Equal(0.25, result.Get("recall", 2), Tolerance);
        Assert.Equal(0.25, result.Get("precision", 2), Tolerance);
        Assert.Equal(InvLog2Of3 / (1 + InvLog2Of3) / 2, result.Get("ndcg", 2), Tolerance);
        Assert.Equal(0.125, result.Get("map", 2), Tolerance);
        // K=5. u0: hits at ranks 2, 5: recall 2/2 = 1, precision 2/5, NDCG (1/log2 3 + 1/log2 6)/(1 + 1/log2 3) = 0.62405,
        //          MAP (1/2 + 2/5)/2 = 0.45.
        //      u2: hit at rank 4: recall 1, precision 1/5, NDCG 1/log2 5 = 0.43068, MAP (P@4 = 1/4)/1 = 0.25.
        //      Means: recall 1, precision 0.3, NDCG 0.52737, MAP 0.35.
        Assert.Equal(1.0, result.Get("recall", 5), Tolerance);
        Assert.Equal(0.3, result.Get("precision", 5), Tolerance);
        var ndcgU0 = (InvLog2Of3 + InvLog2Of6) / (1 + InvLog2Of3);
        Assert.Equal((ndcgU0 + InvLog2Of5) / 2, result.Get("ndcg", 5), Tolerance);
        Assert.Equal(0.35, result.Get("map", 5), Tolerance);
    }

    [Fact]
    public void MaskedItemsStayAtTheTailInIdOrder_WhenFewerThanKAreUnmasked()
    {
        // Scores 5..0; train {0, 1, 2, 3} leaves items 4 (score 1) and 5 (score 0) unmasked.
        // Ranking: 4, 5, then the masked items at -1e10 in id order 0, 1, 2, 3. A held-out item that is also a
        // training item (1) is found at rank 4, as in the reference (only the score is masked).
        var (users, items) = EmbeddingsForScores([5f, 4f, 3f, 2f, 1f, 0f]);
        var train = Csr(6, [0, 1, 2, 3]);
        var target = Csr(6, [1]);
        var result = FullRankingEvaluator.Evaluate(users, items, train, target, new EvaluationOptions { Ks = [3, 4] });
        // K=3: ranks 4, 5, 0 → no hit. K=4: hit at rank 4: recall 1, precision 1/4, NDCG 1/log2 5, MAP (P@4 = 1/4)/1.
        Assert.Equal(0.0, result.Get("recall", 3));
        Assert.Equal(1.0, result.Get("recall", 4), Tolerance);
        Assert.Equal(0.25, result.Get("precision", 4), Tolerance);
        Assert.Equal(InvLog2Of5, result.Get("ndcg", 4), Tolerance);
        Assert.Equal(0.25, result.Get("map", 4), Tolerance);
    }

    [Fact]
    public void RealScoresBelowZero_StillRankAboveMaskedItems()
    {
        // Item 0 scores -1e9 (very low but above -1e10), item 1 is masked despite a high score.
        var (users, items) = EmbeddingsForScores([-1e9f, 100f]);
        var result = FullRankingEvaluator.Evaluate(users, items, Csr(2, [1]), Csr(2, [0]), new EvaluationOptions { Ks = [1] });
        Assert.Equal(1.0, result.Get("recall", 1));
    }

    [Fact]
    public void ExtraMask_MasksTheAdditionalSplit()
    {
        var (users, items) = EmbeddingsForScores(Scores[0]);
        var train = Csr(6, [0]);
        var target = Csr(6, [2, 5]);
        // Also masking item 1: ranking 2, 3, 4, 5, then masked 0, 1 → hits at ranks 1 and 4.
        // K=2: recall 1/2, precision 1/2, NDCG 1/(1 + 1/log2 3) = 0.61315, MAP (P@1 = 1)/min(2,2) = 1/2.
        var masked = FullRankingEvaluator.Evaluate(users, items, train, target, Cutoffs with { ExtraMask = Csr(6, [1]) });
        Assert.Equal(0.5, masked.Get("recall", 2), Tolerance);
        Assert.Equal(0.5, masked.Get("precision", 2), Tolerance);
        Assert.Equal(1 / (1 + InvLog2Of3), masked.Get("ndcg", 2), Tolerance);
        Assert.Equal(0.5, masked.Get("map", 2), Tolerance);
        // Off by default: item 1 stays a candidate and ranks first → MAP@2 = (P@2 = 1/2)/2 = 1/4.
        var unmasked = FullRankingEvaluator.Evaluate(users, items, train, target, Cutoffs);
        Assert.Equal(0.25, unmasked.Get("map", 2), Tolerance);
    }

    [Fact]
    public void BlockedScoring_EqualsUnblocked()
    {
        const int users = 37, items = 29;
        var userEmbeddings = RandomIntegers(users, 8, seed: 1);
        var itemEmbeddings = RandomIntegers(items, 8, seed: 2);
        var train = RandomSplit(users, items, 0, 10, seed: 3);
        var target = RandomSplit(users, items, 0, 4, seed: 4, train);
        var options = new EvaluationOptions { Ks = [1, 5, 10, 20, 50] };
        var whole = FullRankingEvaluator.Evaluate(userEmbeddings, itemEmbeddings, train, target, options);
        Assert.True(whole.UsersEvaluated > 20);
        Assert.True(whole.Get("recall", 20) > 0);
        foreach (var blockBytes in new[] { 1, items * sizeof(float) * 7, (items * sizeof(float) * 7) + 3 })
        {
            var blocked = FullRankingEvaluator.Evaluate(userEmbeddings, itemEmbeddings, train, target, options with { MaxScoreBlockBytes = blockBytes });
            Assert.Equal(whole.ToDictionary(), blocked.ToDictionary());
            Assert.Equal(whole.UsersEvaluated, blocked.UsersEvaluated);
        }
    }

    [Fact]
    public void NoEvaluatedUser_GivesZeros()
    {
        var (users, items) = EmbeddingsForScores(Scores);
        var result = FullRankingEvaluator.Evaluate(users, items, Csr(6, [], [], []), Csr(6, [], [], []), Cutoffs);
        Assert.Equal(0, result.UsersEvaluated);
        Assert.All(result.ToDictionary().Values, v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void DefaultCutoffs_AreTheReferenceOnes()
    {
        var (users, items) = EmbeddingsForScores(Scores);
        var result = FullRankingEvaluator.Evaluate(users, items, Csr(6, [0], [], []), Csr(6, [2], [], []));
        Assert.Equal([5, 10, 20, 50], result.Ks);
        Assert.Equal(16, result.ToDictionary().Count);
    }

    [Fact]
    public void InconsistentShapesAndOptions_Throw()
    {
        var (users, items) = EmbeddingsForScores(Scores);
        var ok = Csr(6, [0], [], []);
        Assert.Throws<ArgumentException>(() => FullRankingEvaluator.Evaluate(users, RandomIntegers(6, 3, 1), ok, ok));
        Assert.Throws<ArgumentException>(() => FullRankingEvaluator.Evaluate(users, items, Csr(7, [0]), ok));
        Assert.Throws<ArgumentException>(() => FullRankingEvaluator.Evaluate(users, items, ok, Csr(6, [], [], [], [1])));
        Assert.Throws<ArgumentException>(() => FullRankingEvaluator.Evaluate(users, items, ok, ok, new EvaluationOptions { Ks = [] }));
        Assert.Throws<ArgumentException>(() => FullRankingEvaluator.Evaluate(users, items, ok, ok, new EvaluationOptions { Ks = [0, 5] }));
        Assert.ThrowsAny<ArgumentException>(() => FullRankingEvaluator.Evaluate(users, items, ok, ok, new EvaluationOptions { MaxScoreBlockBytes = 0 }));
    }
}
