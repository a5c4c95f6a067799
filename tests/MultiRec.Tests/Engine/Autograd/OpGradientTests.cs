// Finite-difference checks of every autograd op's backward, including repeats, reuse and non-contiguous rows.
using MultiRec.Engine;
using MultiRec.Engine.Autograd;

namespace MultiRec.Tests.Engine.Autograd;

public class OpGradientTests
{
    private static Tensor R(int rows, int cols, int seed) => TestTensors.Uniform(rows, cols, seed);

    [Fact]
    public void ConcatRows() => GradientChecker.Check((t, v) => t.ConcatRows([v[0], v[1], v[2]]), [R(2, 3, 1), R(4, 3, 2), R(1, 3, 3)]);

    [Fact]
    public void ConcatRows_SamePartTwice() => GradientChecker.Check((t, v) => t.ConcatRows([v[0], v[1], v[0]]), [R(2, 3, 1), R(3, 3, 2)]);

    [Fact]
    public void SliceRows_TwoOverlappingSlicesOfOneInput()
        => GradientChecker.Check((t, v) => t.Add(t.SliceRows(v[0], 1, 3), t.SliceRows(v[0], 2, 3)), [R(6, 4, 1)]);

    [Fact]
    public void SliceRows_SplitBackIntoParts()
        => GradientChecker.Check((t, v) => t.ConcatRows(t.SliceRows(v[0], 4, 2), t.Scale(t.SliceRows(v[0], 0, 4), 3f)), [R(6, 3, 4)]);

    [Fact]
    public void GatherRows_WithRepeats() => GradientChecker.Check((t, v) => t.GatherRows(v[0], [4, 1, 4, 0, 4, 2]), [R(5, 3, 1)]);

    [Fact]
    public void Add() => GradientChecker.Check((t, v) => t.Add(v[0], v[1]), [R(3, 4, 1), R(3, 4, 2)]);

    [Fact]
    public void Sub() => GradientChecker.Check((t, v) => t.Sub(v[0], v[1]), [R(3, 4, 1), R(3, 4, 2)]);

    [Fact]
    public void Mul() => GradientChecker.Check((t, v) => t.Mul(v[0], v[1]), [R(3, 4, 1), R(3, 4, 2)]);

    [Fact]
    public void Mul_SameInputTwice() => GradientChecker.Check((t, v) => t.Mul(v[0], v[0]), [R(3, 4, 1)]);

    [Fact]
    public void Sub_SameInputTwiceIsZero()
    {
        var x = Variable.Parameter(R(2, 2, 1), "x");
        var tape = new Tape();
        tape.Backward(tape.Sub(x, x), TestTensors.Uniform(2, 2, 3));
        Assert.All(x.Grad!.AsSpan().ToArray(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void AffineScaleConstantMinus()
        => GradientChecker.Check((t, v) => t.Add(t.Affine(v[0], 2.5f, -1f), t.ConstantMinus(1f, t.Scale(v[0], -0.5f))), [R(3, 2, 1)]);

    [Fact]
    public void MeanOf_WithRepeatedTerm() => GradientChecker.Check((t, v) => t.MeanOf([v[0], v[1], v[0]]), [R(3, 4, 1), R(3, 4, 2)]);

    [Fact]
    public void Linear_WithBias() => GradientChecker.Check((t, v) => t.Linear(v[0], v[1], v[2]), [R(5, 4, 1), R(3, 4, 2), R(1, 3, 3)]);

    [Fact]
    public void Linear_WithoutBias() => GradientChecker.Check((t, v) => t.Linear(v[0], v[1]), [R(5, 4, 1), R(3, 4, 2)]);

    [Fact]
    public void Linear_OnASlice() => GradientChecker.Check((t, v) => t.Linear(t.SliceRows(v[0], 2, 3), v[1], v[2]), [R(6, 4, 1), R(2, 4, 2), R(1, 2, 3)]);

    [Fact]
    public void Linear_SharedWeightsOnTwoInputs()
        => GradientChecker.Check((t, v) => t.ConcatRows(t.Linear(v[0], v[2], v[3]), t.Linear(v[1], v[2], v[3])), [R(3, 4, 1), R(2, 4, 2), R(3, 4, 3), R(1, 3, 4)]);

    [Fact]
    public void LinearRows_UnsortedWithRepeats()
        => GradientChecker.Check((t, v) => t.LinearRows(v[0], [5, 1, 5, 3, 0, 5], v[1], v[2]), [R(7, 4, 1), R(3, 4, 2), R(1, 3, 3)]);

    [Fact]
    public void LinearRows_TableAlsoUsedDirectly()
        => GradientChecker.Check((t, v) => t.Add(t.LinearRows(v[0], [2, 0], v[1]), t.SliceRows(t.Scale(v[0], 2f), 0, 2)), [R(4, 2, 1), R(2, 2, 2)]);

    [Fact]
    public void LinearRows_MatchesGatherOfLinear()
    {
        int[] rows = [3, 0, 3, 2];
        Tensor[] inputs = [R(5, 6, 1), R(4, 6, 2), R(1, 4, 3)];
        var (fusedValue, fusedGrads) = Run((t, v) => t.LinearRows(v[0], rows, v[1], v[2]));
        var (plainValue, plainGrads) = Run((t, v) => t.GatherRows(t.Linear(v[0], v[1], v[2]), rows));
        TestTensors.AssertClose(plainValue, fusedValue, 1e-6, "value");
        for (var i = 0; i < inputs.Length; i++)
        {
            TestTensors.AssertClose(plainGrads[i], fusedGrads[i], 1e-6, $"grad {i}");
        }

        (Tensor Value, Tensor[] Grads) Run(Func<Tape, Variable[], Variable> build)
        {
            var parameters = inputs.Select((x, i) => Variable.Parameter(x.Clone(), $"p{i}")).ToArray();
            var tape = new Tape();
            var y = build(tape, parameters);
            tape.Backward(y, TestTensors.Uniform(y.Rows, y.Cols, 9));
            return (y.Value.Clone(), parameters.Select(p => p.Grad!.Clone()).ToArray());
        }
    }

    [Fact]
    public void SparseMultiply_Rectangular()
    {
        var a = TestGraphs.RandomCsr(4, 5, density: 0.5, seed: 3);
        GradientChecker.Check((t, v) => t.SparseMultiply(a, v[0]), [R(5, 3, 1)]);
    }

    [Fact]
    public void SparseMultiply_SymmetricTwoLayersWithReuse()
    {
        var a = TestGraphs.NormalisedBipartite(3, 4, [(0, 1), (0, 3), (1, 1), (2, 0), (2, 2)]);
        GradientChecker.Check(
            (t, v) =>
            {
                var e1 = t.SparseMultiply(a, v[0], isSymmetric: true);
                var e2 = t.SparseMultiply(a, e1, isSymmetric: true);
                return t.MeanOf([v[0], e1, e2]);
            },
            [R(7, 3, 1)]);
    }

    [Fact]
    public void SparseMultiply_SymmetricFlagGivesTheSameGradientAsTheTranspose()
    {
        var a = TestGraphs.NormalisedBipartite(3, 4, [(0, 1), (0, 3), (1, 1), (2, 0), (2, 2)]);
        var upstream = R(7, 3, 5);
        Tensor GradientWith(bool symmetric)
        {
            var x = Variable.Parameter(R(7, 3, 1), "x");
            var tape = new Tape();
            tape.Backward(tape.SparseMultiply(a, x, symmetric), upstream);
            return x.Grad!;
        }

        TestTensors.AssertClose(GradientWith(false), GradientWith(true), 1e-6, "symmetric vs transposed");
    }

    [Fact]
    public void Dropout_Seeded() => GradientChecker.Check((t, v) => t.Dropout(v[0], 0.4, seed: 11), [R(6, 5, 1)]);

    [Fact]
    public void GatherRowsOfDropout_WithRepeats() => GradientChecker.Check((t, v) => t.GatherRowsOfDropout(v[0], [3, 0, 3, 1], 0.3, seed: 5), [R(4, 6, 1)]);

    [Fact]
    public void DropoutWithMask()
    {
        var mask = new Tensor(3, 4);
        for (var i = 0; i < mask.Length; i++)
        {
            mask.Data[i] = i % 3 == 0 ? 0f : 1f;
        }

        GradientChecker.Check((t, v) => t.DropoutWithMask(v[0], mask, 0.25), [R(3, 4, 1)]);
    }

    [Fact]
    public void CosineSimilarityRows() => GradientChecker.Check((t, v) => t.CosineSimilarityRows(v[0], v[1]), [R(5, 4, 1), R(5, 4, 2)]);

    [Fact]
    public void L2NormalizeRows() => GradientChecker.Check((t, v) => t.L2NormalizeRows(v[0]), [R(5, 4, 3)]);

    [Fact]
    public void PatternRowSoftmax()
    {
        var pattern = new CsrMatrix(4, 5, [0, 3, 3, 4, 7], [0, 2, 4, 1, 0, 1, 3], new float[7]);
        GradientChecker.Check((t, v) => t.PatternRowSoftmax(pattern, v[0]), [R(7, 1, 11)]);
    }

    [Fact]
    public void MaxColumns() // columns at least 0.3 apart, so no central difference crosses a kink
        => GradientChecker.Check((t, v) => t.MaxColumns(v[0]), [Tensor.FromArray(4, 3, [0.9f, -0.2f, 0.3f, -0.5f, 0.6f, 0.1f, 0.2f, -0.7f, 0.8f, -0.4f, -1.1f, -0.8f])]);

    [Fact]
    public void RowWeightedSum() => GradientChecker.Check((t, v) => t.RowWeightedSum(v[0], [v[1], v[2], v[3]]), [R(4, 3, 5), R(4, 2, 6), R(4, 2, 7), R(4, 2, 8)]);

    [Fact]
    public void RowWeightedSum_APartTwiceAndTheWeightsInAPart()
        => GradientChecker.Check((t, v) => t.Add(t.RowWeightedSum(v[0], [v[1], v[0]]), t.RowWeightedSum(v[0], [v[1], v[1]])), [R(3, 2, 9), R(3, 2, 10)]);

    [Fact]
    public void L2NormalizeRows_InputUsedTwice()
        => GradientChecker.Check((t, v) => t.Mul(t.L2NormalizeRows(v[0]), v[0]), [R(3, 4, 4)]);

    [Fact]
    public void L2NormalizeRows_ClampedRowPassesGradientOverEps()
    {
        // ‖x‖ = 5e-13 < eps = 1e-12: y = x / eps and dx = dy / eps (the clamp passes no gradient to the norm).
        var x = Variable.Parameter(Tensor.FromArray(1, 2, [3e-13f, 4e-13f]), "x");
        var tape = new Tape();
        var y = tape.L2NormalizeRows(x);
        Assert.Equal(0.3f, y.Value[0, 0], 1e-6f);
        Assert.Equal(0.4f, y.Value[0, 1], 1e-6f);
        tape.Backward(y, Tensor.FromArray(1, 2, [1f, -2f]));
        Assert.Equal(1e12, x.Grad![0, 0], 1e6);
        Assert.Equal(-2e12, x.Grad[0, 1], 1e6);
    }

    [Fact]
    public void CosineSimilarityRows_SameInputTwiceAndShared()
        => GradientChecker.Check((t, v) => t.Add(t.CosineSimilarityRows(v[0], v[0]), t.CosineSimilarityRows(v[0], v[1])), [R(3, 4, 1), R(3, 4, 2)]);

    [Fact]
    public void CosineSimilarityRows_ClampedNormFollowsPyTorch()
    {
        // ‖a‖ = 5e-9 < eps: cos = a·b / (eps ‖b‖); PyTorch 1.13's backward gives b / (eps ‖b‖) - cos · a / eps².
        const float Eps = 1e-8f;
        var a = Variable.Parameter(Tensor.FromArray(1, 2, [3e-9f, 4e-9f]), "a");
        var b = Variable.Parameter(Tensor.FromArray(1, 2, [0.6f, -0.8f]), "b");
        var tape = new Tape();
        var cos = tape.CosineSimilarityRows(a, b, Eps);
        tape.Backward(cos, Tensor.FromArray(1, 1, [1f]));
        var expectedCos = ((3e-9 * 0.6) - (4e-9 * 0.8)) / Eps;
        Assert.Equal(expectedCos, cos.Value.Data[0], 1e-6);
        var a0 = (0.6 / Eps) - (expectedCos * 3e-9 / (Eps * Eps));
        var a1 = (-0.8 / Eps) - (expectedCos * 4e-9 / (Eps * Eps));
        Assert.Equal(a0, a.Grad![0, 0], Math.Abs(a0) * 1e-6);
        Assert.Equal(a1, a.Grad[0, 1], Math.Abs(a1) * 1e-6);
        var b0 = (3e-9 / Eps) - (expectedCos * 0.6);
        Assert.Equal(b0, b.Grad![0, 0], 1e-6);
    }

    [Fact]
    public void SumAll() => GradientChecker.Check((t, v) => t.SumAll(v[0]), [R(4, 3, 1)]);

    [Fact]
    public void MeanAll() => GradientChecker.Check((t, v) => t.MeanAll(v[0]), [R(4, 3, 1)]);

    [Fact]
    public void FrobeniusNorm() => GradientChecker.Check((t, v) => t.FrobeniusNorm(v[0]), [R(4, 3, 1)]);

    [Fact]
    public void FrobeniusNorm_OfZeroHasZeroGradient()
    {
        var x = Variable.Parameter(new Tensor(2, 3), "x");
        var tape = new Tape();
        var norm = tape.FrobeniusNorm(x);
        tape.Backward(norm);
        Assert.Equal(0f, norm.Scalar);
        Assert.All(x.Grad!.AsSpan().ToArray(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void ScalarArithmetic()
        => GradientChecker.Check(
            (t, v) =>
            {
                var m = t.MeanAll(v[0]);
                var s = t.SumAll(v[1]);
                return t.Sub(t.Mul(t.ConstantMinus(1f, m), s), t.Add(t.Scale(m, 0.5f), t.Mul(s, s)));
            },
            [R(3, 2, 1), R(2, 2, 2)]);

    [Fact]
    public void LogSigmoid() => GradientChecker.Check((t, v) => t.LogSigmoid(v[0]), [R(4, 5, 1, -6f, 6f)]);

    [Fact]
    public void LogSigmoid_IsStableForLargeInputs()
    {
        var x = Variable.Parameter(Tensor.FromArray(1, 4, [-200f, -30f, 30f, 200f]), "x");
        var tape = new Tape();
        var y = tape.LogSigmoid(x);
        tape.Backward(y, Tensor.FromArray(1, 4, [1f, 1f, 1f, 1f]));
        Assert.Equal(-200f, y.Value[0, 0]);
        Assert.Equal(-30f, y.Value[0, 1], 1e-5f);
        Assert.Equal(-9.357623e-14f, y.Value[0, 2], 1e-18f);
        Assert.Equal(0f, y.Value[0, 3]);
        Assert.Equal([1f, 1f, 9.357623e-14f, 0f], x.Grad!.AsSpan().ToArray(), (p, q) => Math.Abs(p - q) <= 1e-6f * Math.Max(1f, Math.Abs(q)));
    }

    [Fact]
    public void RowDot_Plain() => GradientChecker.Check((t, v) => t.RowDot(v[0], v[1]), [R(4, 3, 1), R(4, 3, 2)]);

    [Fact]
    public void RowDot_GatheredWithRepeats()
        => GradientChecker.Check((t, v) => t.RowDot(v[0], [2, 0, 2, 1], v[1], [1, 1, 3, 0]), [R(3, 4, 1), R(4, 4, 2)]);

    [Fact]
    public void RowDot_GatheredFromOneTable()
        => GradientChecker.Check((t, v) => t.LogSigmoid(t.Sub(t.RowDot(v[0], [0, 1, 0], v[1], [2, 3, 3]), t.RowDot(v[0], [0, 1, 0], v[1], [1, 0, 2]))), [R(2, 3, 1, -2f, 2f), R(4, 3, 2, -2f, 2f)]);

    [Fact]
    public void ConcatColumns() => GradientChecker.Check((t, v) => t.ConcatColumns(v[0], v[1]), [R(3, 2, 1, -1f, 1f), R(3, 4, 2, -1f, 1f)]);

    [Fact]
    public void ConcatColumns_FeedingOneConsumerTwice_Accumulates()
        => GradientChecker.Check((t, v) => t.Add(t.ConcatColumns(v[0], v[1]), t.ConcatColumns(v[0], v[1])), [R(3, 2, 1, -1f, 1f), R(3, 1, 2, -1f, 1f)]);

    [Fact]
    public void LogOfEpsilonPlusSigmoid() => GradientChecker.Check((t, v) => t.LogOfEpsilonPlusSigmoid(v[0], 1e-10f), [R(4, 5, 1, -6f, 6f)]);

    [Fact]
    public void LogOfEpsilonPlusSigmoid_IsBoundedByLogEpsilon()
    {
        var x = Variable.Parameter(Tensor.FromArray(1, 3, [-200f, 0f, 200f]), "x");
        var tape = new Tape();
        var y = tape.LogOfEpsilonPlusSigmoid(x, 1e-10f);
        tape.Backward(y, Tensor.FromArray(1, 3, [1f, 1f, 1f]));
        Assert.Equal((float)Math.Log(1e-10), y.Value[0, 0], 1e-5f);  // log σ(−200) would be −200
        Assert.Equal((float)Math.Log(0.5), y.Value[0, 1], 1e-7f);
        Assert.Equal(0f, y.Value[0, 2]);
        Assert.Equal([0f, 0.5f, 0f], x.Grad!.AsSpan().ToArray());       // σ(1 − σ)/(ε + σ): 0 where σ underflows
    }

    [Fact]
    public void SoftmaxCrossEntropy_InBatchLabelsWithTemperature()
        => GradientChecker.Check((t, v) => t.SoftmaxCrossEntropy(v[0], [0, 1, 2, 3], 0.5f), [R(4, 4, 1, -2f, 2f)]);

    [Fact]
    public void SoftmaxCrossEntropy_OfAProductRepeatedLabelsAndReuse()
        => GradientChecker.Check(
            (t, v) => t.Add(t.SoftmaxCrossEntropy(t.Linear(v[0], v[1]), [2, 0, 2], 0.2f), t.SoftmaxCrossEntropy(v[1], [1, 1, 0, 3], 1f)),
            [R(3, 4, 1, -1f, 1f), R(4, 4, 2, -1f, 1f)]);

    [Fact]
    public void SoftmaxCrossEntropy_IsStableForHugeLogits()
    {
        // Row 0: logits 1000 and −1000 with label 1: loss 2000 (exp(2000) would overflow); row 1: equal logits: log 2.
        var x = Variable.Parameter(Tensor.FromArray(2, 2, [1000f, -1000f, 500f, 500f]), "x");
        var tape = new Tape();
        var y = tape.SoftmaxCrossEntropy(x, [1, 0]);
        tape.Backward(y);
        Assert.Equal((2000.0 + Math.Log(2)) / 2, y.Value[0, 0], 1e-3);
        Assert.Equal([0.5f, -0.5f, -0.25f, 0.25f], x.Grad!.AsSpan().ToArray());
    }

    [Fact]
    public void LeakyRelu_AwayFromTheKink()
    {
        // |x| >= 0.1 on both sides of 0, so no central difference (step 1e-2) straddles the kink.
        var x = R(4, 5, 1, 0.1f, 1f);
        for (var i = 0; i < x.Length; i += 2)
        {
            x.Data[i] = -x.Data[i];
        }

        GradientChecker.Check((t, v) => t.LeakyRelu(v[0]), [x]);
        GradientChecker.Check((t, v) => t.LeakyRelu(v[0], 0.2f), [x]);
    }

    [Fact]
    public void LeakyRelu_AtZeroTakesTheSlope()
    {
        var x = Variable.Parameter(Tensor.FromArray(1, 3, [0f, -2f, 3f]), "x");
        var tape = new Tape();
        var y = tape.LeakyRelu(x);
        tape.Backward(y, Tensor.FromArray(1, 3, [1f, 1f, 1f]));
        Assert.Equal([0f, -0.02f, 3f], y.Value.AsSpan().ToArray());
        Assert.Equal([0.01f, 0.01f, 1f], x.Grad!.AsSpan().ToArray());
    }

    [Fact]
    public void MatMul() => GradientChecker.Check((t, v) => t.MatMul(v[0], v[1]), [R(5, 3, 1), R(3, 4, 2)]);

    [Fact]
    public void MatMul_SameInputAsBothFactors() => GradientChecker.Check((t, v) => t.MatMul(v[0], v[0]), [R(3, 3, 1)]);

    [Fact]
    public void L2NormalizeRows_FeedingAConsumerTwice_Accumulates()
        => GradientChecker.Check((t, v) => { var y = t.L2NormalizeRows(v[0]); return t.Add(y, t.Mul(y, y)); }, [R(3, 4, 2)]);

    [Fact]
    public void MeanAggregation_ThroughSparseMultiply()
    {
        var m = MultiRec.Models.Graph.MeanAggregation.FromEdges(5, [0, 1, 2, 0, 3, 0], [3, 3, 4, 4, 0, 3]);
        GradientChecker.Check((t, v) => t.LeakyRelu(t.SparseMultiply(m, t.MatMul(v[0], v[1]))), [R(5, 3, 1, 0.2f, 1f), R(3, 3, 2, 0.2f, 1f)]);
    }

    [Fact]
    public void GraphConvLeakyRelu_BothSignsOfThePreActivation()
    {
        var m = MultiRec.Models.Graph.MeanAggregation.FromEdges(5, [0, 1, 2, 0, 3, 0], [3, 3, 4, 4, 0, 3]);
        GradientChecker.Check((t, v) => t.GraphConvLeakyRelu(m, v[0], v[1]), [R(5, 3, 1, -1f, 1f), R(3, 4, 2, 0.2f, 1f)]);
    }

    [Fact]
    public void GraphConvLeakyRelu_InputAlsoReadByAnotherOp_Accumulates()
    {
        var m = MultiRec.Models.Graph.MeanAggregation.FromEdges(4, [0, 1, 2, 3, 1], [1, 2, 3, 0, 0]);
        GradientChecker.Check((t, v) => t.Add(t.GraphConvLeakyRelu(m, v[0], v[1]), t.MatMul(v[0], v[1])), [R(4, 3, 3, -1f, 1f), R(3, 3, 4, -1f, 1f)]);
    }

    [Fact]
    public void LinearOfConcat() => GradientChecker.Check((t, v) => t.LinearOfConcat(v[0], v[1], v[2], v[3]), [R(4, 3, 1, -1f, 1f), R(4, 2, 2, -1f, 1f), R(5, 5, 3, -1f, 1f), R(1, 5, 4, -1f, 1f)]);

    [Fact]
    public void LinearOfConcat_SameInputTwice_Accumulates()
        => GradientChecker.Check((t, v) => t.LinearOfConcat(v[0], v[0], v[1]), [R(3, 2, 5, -1f, 1f), R(4, 4, 6, -1f, 1f)]);

    [Fact]
    public void LinearOfConcat_WithLeakyRelu()
        => GradientChecker.Check((t, v) => t.LinearOfConcat(v[0], v[1], v[2], v[3], leakyReluSlope: 0.01f), [R(4, 3, 12, -1f, 1f), R(4, 2, 13, -1f, 1f), R(5, 5, 14, -1f, 1f), R(1, 5, 15, -1f, 1f)]);

    [Fact]
    public void LinearLeakyRelu_BothSigns_AndAnInputReadTwice()
        => GradientChecker.Check((t, v) => t.Add(t.LinearLeakyRelu(v[0], v[1], v[2], 0.2f), t.Linear(v[0], v[1])), [R(4, 3, 16, -1f, 1f), R(5, 3, 17, -1f, 1f), R(1, 5, 18, -1f, 1f)]);

    [Fact]
    public void L2NormalizeConcatRows_BothParts()
        => GradientChecker.Check((t, v) => t.L2NormalizeConcatRows(v[0], v[1]), [R(2, 4, 19, -1f, 1f), R(3, 4, 20, -1f, 1f)]);

    [Fact]
    public void L2NormalizeConcatRows_SamePartTwice_Accumulates()
        => GradientChecker.Check((t, v) => t.L2NormalizeConcatRows(v[0], v[0]), [R(3, 4, 21, -1f, 1f)]);

    [Fact]
    public void FusedMmgcnOps_AreBitIdenticalToTheUnfusedChains()
    {
        var m = MultiRec.Models.Graph.MeanAggregation.FromEdges(6, [0, 1, 2, 0, 3, 3, 4, 1, 0], [3, 3, 4, 4, 0, 0, 1, 2, 3]);
        // One MMGCN layer's shape: x⁰ = normalize(x ‖ W) (rows), h = lrelu(Mean(x⁰ W)), x̂ = lrelu(x⁰ W'ᵀ + b) + x⁰,
        // out = lrelu([h ‖ x̂] Gᵀ + b) (W' = W: the test reuses the four variables).
        var fused = OutputAndGradients((t, x, w, g, b) =>
        {
            var x0 = t.SliceRows(t.L2NormalizeConcatRows(x, w), 0, 6);
            var h = t.GraphConvLeakyRelu(m, x0, w);
            var xHat = t.Add(t.LinearLeakyRelu(x0, w, b), x0);
            return t.LinearOfConcat(h, xHat, g, b, leakyReluSlope: 0.01f);
        });
        var unfused = OutputAndGradients((t, x, w, g, b) =>
        {
            var x0 = t.SliceRows(t.L2NormalizeRows(t.ConcatRows(x, w)), 0, 6);
            var h = t.LeakyRelu(t.SparseMultiply(m, t.MatMul(x0, w)));
            var xHat = t.Add(t.LeakyRelu(t.Linear(x0, w, b)), x0);
            return t.LeakyRelu(t.Linear(t.ConcatColumns(h, xHat), g, b));
        });
        for (var k = 0; k < fused.Length; k++)
        {
            Assert.Equal(unfused[k], fused[k]);
        }
    }

    /// <summary>The output and the gradients of x (6 × 4), W (4 × 4), G (4 × 8) and b (1 × 4) of one graph.</summary>
    private static float[][] OutputAndGradients(Func<Tape, Variable, Variable, Variable, Variable, Variable> build)
    {
        Variable[] v =
        [
            Variable.Parameter(R(6, 4, 7, -1f, 1f), "x"), Variable.Parameter(R(4, 4, 8, -1f, 1f), "w"),
            Variable.Parameter(R(4, 8, 9, -1f, 1f), "g"), Variable.Parameter(R(1, 4, 10, -1f, 1f), "b"),
        ];
        var tape = new Tape();
        var y = build(tape, v[0], v[1], v[2], v[3]);
        tape.Backward(y, R(6, 4, 11, -1f, 1f));
        return [y.Value.AsSpan().ToArray(), .. v.Select(p => p.Grad!.AsSpan().ToArray())];
    }

    private static Tensor R(int rows, int cols, int seed, float lo, float hi) => TestTensors.Uniform(rows, cols, seed, lo, hi);
}
