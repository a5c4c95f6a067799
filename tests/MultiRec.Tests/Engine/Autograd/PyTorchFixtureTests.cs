// Compares every op (and a small BM3 loss) with PyTorch 1.13: outputs and gradients to a relative 1e-5.
using MultiRec.Engine;
using MultiRec.Engine.Autograd;

namespace MultiRec.Tests.Engine.Autograd;

public class PyTorchFixtureTests
{
    [Fact]
    public void Linear()
    {
        var f = new OpFixture("linear");
        var tape = new Tape();
        f.Verify(tape, tape.Linear(f["x"], f["w"], f["b"]));
    }

    [Fact]
    public void LinearRows()
    {
        var f = new OpFixture("linear_rows");
        var tape = new Tape();
        f.Verify(tape, tape.LinearRows(f["table"], f.Indices("rows"), f["w"], f["b"]));
    }

    [Fact]
    public void GatherRows()
    {
        var f = new OpFixture("gather_rows");
        var tape = new Tape();
        f.Verify(tape, tape.GatherRows(f["x"], f.Indices("rows")));
    }

    [Fact]
    public void ConcatRows()
    {
        var f = new OpFixture("concat_rows");
        var tape = new Tape();
        f.Verify(tape, tape.ConcatRows([f["a"], f["b"], f["a"]]));
    }

    [Fact]
    public void SliceRows()
    {
        var f = new OpFixture("slice_rows");
        var tape = new Tape();
        var x = f["x"];
        f.Verify(tape, tape.ConcatRows(tape.SliceRows(x, 4, 2), tape.Scale(tape.SliceRows(x, 1, 4), 2f)));
    }

    [Fact]
    public void SparseMeanPropagation()
    {
        var f = new OpFixture("sparse_mean_propagation");
        var a = TestGraphs.FromDense(f.Float("const_adjacency"));
        var tape = new Tape();
        var x = f["x"];
        var e1 = tape.SparseMultiply(a, x);
        var e2 = tape.SparseMultiply(a, e1, isSymmetric: true);
        f.Verify(tape, tape.MeanOf([x, e1, e2]));
    }

    [Fact]
    public void Arithmetic()
    {
        var f = new OpFixture("arithmetic");
        var tape = new Tape();
        Variable a = f["a"], b = f["b"];
        f.Verify(tape, tape.MeanOf([tape.Add(a, b), tape.Sub(a, b), tape.Scale(a, 2.5f), tape.Mul(a, b)]));
    }

    [Fact]
    public void DropoutWithTorchMask()
    {
        var f = new OpFixture("dropout");
        var tape = new Tape();
        f.Verify(tape, tape.DropoutWithMask(f["x"], f.Float("mask_x"), 0.3));
    }

    [Fact]
    public void CosineSimilarity_IncludingClampedNorms()
    {
        var f = new OpFixture("cosine_similarity");
        var tape = new Tape();
        f.Verify(tape, tape.CosineSimilarityRows(f["a"], f["b"], 1e-8f));
    }

    [Fact]
    public void L2NormalizeRows_IncludingZeroAndClampedRows()
    {
        var f = new OpFixture("l2_normalize_rows");
        var tape = new Tape();
        f.Verify(tape, tape.L2NormalizeRows(f["x"]));
    }

    [Fact]
    public void PatternRowSoftmax_PerRowIncludingAnEmptyRow()
    {
        var f = new OpFixture("pattern_row_softmax");
        var rowPtr = f.Indices("rowptr");
        var pattern = new CsrMatrix(rowPtr.Length - 1, 6, rowPtr, [0, 2, 5, 1, 3, 4], new float[6]);
        var tape = new Tape();
        f.Verify(tape, tape.PatternRowSoftmax(pattern, f["v"]));
    }

    [Fact]
    public void MaxColumns_TiesGoToTheFirstColumn()
    {
        var f = new OpFixture("max_columns");
        var tape = new Tape();
        f.Verify(tape, tape.MaxColumns(f["x"]));
    }

    [Fact]
    public void RowWeightedSum_AsDualGnnsBatchedMatmul()
    {
        var f = new OpFixture("row_weighted_sum");
        var tape = new Tape();
        f.Verify(tape, tape.RowWeightedSum(f["w"], [f["a"], f["b"]]));
    }

    [Fact]
    public void SumAll()
    {
        var f = new OpFixture("sum_all");
        var tape = new Tape();
        f.Verify(tape, tape.SumAll(f["x"]));
    }

    [Fact]
    public void MeanAll()
    {
        var f = new OpFixture("mean_all");
        var tape = new Tape();
        f.Verify(tape, tape.MeanAll(f["x"]));
    }

    [Fact]
    public void FrobeniusNorm()
    {
        var f = new OpFixture("frobenius_norm");
        var tape = new Tape();
        f.Verify(tape, tape.FrobeniusNorm(f["x"]));
    }

    [Fact]
    public void LogSigmoid()
    {
        var f = new OpFixture("log_sigmoid");
        var tape = new Tape();
        f.Verify(tape, tape.LogSigmoid(f["x"]));
    }

    [Fact]
    public void BprWithGatheredRowDots()
    {
        var f = new OpFixture("bpr_row_dot");
        var tape = new Tape();
        var users = f.Indices("users");
        var positive = tape.RowDot(f["user"], users, f["item"], f.Indices("pos"));
        var negative = tape.RowDot(f["user"], users, f["item"], f.Indices("neg"));
        f.Verify(tape, tape.Scale(tape.MeanAll(tape.LogSigmoid(tape.Sub(positive, negative))), -1f));
    }

    [Fact]
    public void Bm3Loss_MatchesPyTorch()
    {
        var f = new OpFixture("bm3_loss");
        var tape = new Tape();
        f.Verify(tape, SmallBm3Loss.Build(tape, f));
    }

    [Fact]
    public void Bm3Loss_SecondStepOnARecycledTapeGivesTheSameGradients()
    {
        var f = new OpFixture("bm3_loss");
        var tape = new Tape { PoisonRecycledBuffers = true };
        var first = SmallBm3Loss.Build(tape, f);
        tape.Backward(first);
        var grads = f.Inputs.ToDictionary(p => p.Key, p => p.Value.Grad!.Clone());
        foreach (var p in f.Inputs.Values)
        {
            p.ZeroGrad();
        }

        tape.Reset();
        var second = SmallBm3Loss.Build(tape, f);
        tape.Backward(second);
        foreach (var (name, p) in f.Inputs)
        {
            Assert.Equal(grads[name].AsSpan().ToArray(), p.Grad!.AsSpan().ToArray());
        }
    }

    [Fact]
    public void SoftmaxCrossEntropy_InBatchLogitsOfTwoTables()
    {
        // CE(A Bᵀ / τ, 0..n−1), torch.nn.CrossEntropyLoss (mean), with a repeated row in A and B.
        var f = new OpFixture("softmax_cross_entropy");
        var tape = new Tape();
        var n = f["a"].Rows;
        f.Verify(tape, tape.SoftmaxCrossEntropy(tape.Linear(f["a"], f["b"]), [.. Enumerable.Range(0, n)], 0.2f));
    }

    [Fact]
    public void SoftmaxCrossEntropy_GivenLabelsAndLargeLogits()
    {
        var f = new OpFixture("softmax_cross_entropy_labels");
        var tape = new Tape();
        f.Verify(tape, tape.SoftmaxCrossEntropy(f["x"], f.Indices("labels"), 0.5f));
    }

    [Fact]
    public void LeakyRelu_IncludingExactZeros()
    {
        var f = new OpFixture("leaky_relu");
        var tape = new Tape();
        f.Verify(tape, tape.LeakyRelu(f["x"]));
    }

    [Fact]
    public void MatMul()
    {
        var f = new OpFixture("matmul");
        var tape = new Tape();
        f.Verify(tape, tape.MatMul(f["x"], f["w"]));
    }

    [Fact]
    public void MeanAggregation_AsPyGComputesIt()
    {
        var f = new OpFixture("mean_aggregation");
        var m = MultiRec.Models.Graph.MeanAggregation.FromEdges(f["x"].Rows, f.Indices("sources"), f.Indices("targets"));
        var tape = new Tape();
        f.Verify(tape, tape.SparseMultiply(m, tape.MatMul(f["x"], f["w"])));
    }

    [Fact]
    public void GraphConvLeakyRelu_AsLeakyReluOfPyGMeanAggregation()
    {
        var f = new OpFixture("graph_conv_leaky_relu");
        var m = MultiRec.Models.Graph.MeanAggregation.FromEdges(f["x"].Rows, f.Indices("sources"), f.Indices("targets"));
        var tape = new Tape();
        f.Verify(tape, tape.GraphConvLeakyRelu(m, f["x"], f["w"]));
    }

    [Fact]
    public void LinearOfConcat_AsLinearOfTorchCat()
    {
        var f = new OpFixture("linear_of_concat");
        var tape = new Tape();
        f.Verify(tape, tape.LinearOfConcat(f["a"], f["b"], f["w"], f["bias"]));
    }

    [Fact]
    public void LinearOfConcat_WithLeakyRelu_AsLeakyReluOfLinearOfTorchCat()
    {
        var f = new OpFixture("linear_of_concat_leaky_relu");
        var tape = new Tape();
        f.Verify(tape, tape.LinearOfConcat(f["a"], f["b"], f["w"], f["bias"], leakyReluSlope: 0.01f));
    }

    [Fact]
    public void LinearLeakyRelu_AsLeakyReluOfLinear()
    {
        var f = new OpFixture("linear_leaky_relu");
        var tape = new Tape();
        f.Verify(tape, tape.LinearLeakyRelu(f["x"], f["w"], f["b"]));
    }

    [Fact]
    public void L2NormalizeConcatRows_AsNormalizeOfTorchCat_IncludingAZeroRow()
    {
        var f = new OpFixture("l2_normalize_concat_rows");
        var tape = new Tape();
        f.Verify(tape, tape.L2NormalizeConcatRows(f["a"], f["b"]));
    }
}
