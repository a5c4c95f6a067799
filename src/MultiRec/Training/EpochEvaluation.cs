// The per-epoch evaluation of the training protocol: valid and test full ranking, in one scoring pass when possible.
using MultiRec.Data;
using MultiRec.Engine;
using MultiRec.Evaluation;

namespace MultiRec.Training;

/// <summary>Valid and test metrics of scoring embeddings under the run's protocol.</summary>
internal static class EpochEvaluation
{
    /// <summary>Both splits. With the same mask for both (mask_valid_at_test off, the reference's setting) users are
    /// scored and ranked once and the top-K is checked against each split; otherwise test is scored again with
    /// valid items masked.</summary>
    public static (MetricSet Valid, MetricSet Test) EvaluateValidAndTest(Tensor users, Tensor items, Dataset data, TrainingOptions options)
    {
        var eval = new EvaluationOptions { Ks = options.Topk };
        if (!options.MaskValidAtTest)
        {
            var both = FullRankingEvaluator.EvaluateMany(users, items, data.Train, [data.Valid, data.Test], eval);
            return (both[0], both[1]);
        }

        return (FullRankingEvaluator.Evaluate(users, items, data.Train, data.Valid, eval), EvaluateTest(users, items, data, options));
    }

    /// <summary>Test metrics alone (valid items masked too when mask_valid_at_test).</summary>
    public static MetricSet EvaluateTest(Tensor users, Tensor items, Dataset data, TrainingOptions options) =>
        FullRankingEvaluator.Evaluate(users, items, data.Train, data.Test, new EvaluationOptions
        {
            Ks = options.Topk,
            ExtraMask = options.MaskValidAtTest ? data.Valid : null,
        });
}
