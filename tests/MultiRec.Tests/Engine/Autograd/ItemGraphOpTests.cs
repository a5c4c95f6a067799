// LATTICE's item-graph ops (SampledGram, SymmetricNormalize, SparseValuesMultiply, Softmax, ScaleByEntry): finite-difference
// checks of every backward, and PyTorch 1.13 fixture cases written by tools/reference/make_engine_fixtures.py.
using MultiRec.Engine;
using MultiRec.Engine.Autograd;

namespace MultiRec.Tests.Engine.Autograd;

public class ItemGraphOpTests
{
    // A 6 x 6 pattern: the diagonal (but row 4 empty), asymmetric entries, and column 4 filled from rows 0 and 2.
    private static readonly float[,] PatternEntries =
    {
        { 1, 1, 0, 0, 1, 0 },
        { 0, 1, 0, 1, 0, 0 },
        { 1, 0, 1, 0, 1, 1 },
        { 0, 0, 1, 1, 0, 0 },
        { 0, 0, 0, 0, 0, 0 },
        { 1, 0, 0, 0, 0, 1 },
    };

    private static CsrMatrix Pattern()
    {
        var dense = new Tensor(6, 6);
        for (var r = 0; r < 6; r++)
        {
            for (var c = 0; c < 6; c++)
            {
                dense[r, c] = PatternEntries[r, c];
            }
        }

        return TestGraphs.FromDense(dense);
    }

    private static Tensor R(int rows, int cols, int seed, float lo = -1f, float hi = 1f) => TestTensors.Uniform(rows, cols, seed, lo, hi);

    [Fact]
    public void SampledGram_AllSlots() => GradientChecker.Check((t, v) => t.SampledGram(Pattern(), v[0]), [R(6, 3, 1)]);

    [Fact]
    public void SampledGram_KeptSlotsOnly_OthersZeroWithoutGradient()
    {
        var pattern = Pattern();
        int[] slots = [0, 2, 5, 6, 9, 11];
        GradientChecker.Check((t, v) => t.SampledGram(pattern, v[0], slots), [R(6, 3, 2)]);
        var tape = new Tape();
        var y = tape.SampledGram(pattern, Variable.Parameter(R(6, 3, 2), "x"), slots);
        for (var p = 0; p < pattern.NonZeros; p++)
        {
            Assert.Equal(slots.Contains(p), y.Value.Data[p] != 0f);
        }
    }

    [Fact]
    public void SampledGram_OfNormalisedRows() => GradientChecker.Check((t, v) => t.SampledGram(Pattern(), t.L2NormalizeRows(v[0]), [1, 3, 4, 7, 10]), [R(6, 4, 3)]);

    [Fact]
    public void SymmetricNormalize() => GradientChecker.Check((t, v) => t.SymmetricNormalize(Pattern(), v[0]), [R(Pattern().NonZeros, 1, 4, 0.2f, 1f)]);

    [Fact]
    public void SymmetricNormalize_MatchesDiagonalProductsOfADenseMatrix()
    {
        var pattern = Pattern();
        var values = R(pattern.NonZeros, 1, 5, 0.2f, 1f);
        var y = new Tape().SymmetricNormalize(pattern, Variable.Constant(values));
        var d = new double[6];
        for (var r = 0; r < 6; r++)
        {
            double sum = 0;
            for (var p = pattern.RowPtr[r]; p < pattern.RowPtr[r + 1]; p++)
            {
                sum += values.Data[p];
            }

            d[r] = sum == 0 ? 0 : 1 / Math.Sqrt(sum);
        }

        for (var r = 0; r < 6; r++)
        {
            for (var p = pattern.RowPtr[r]; p < pattern.RowPtr[r + 1]; p++)
            {
                Assert.Equal(d[r] * values.Data[p] * d[pattern.ColIdx[p]], y.Value.Data[p], 1e-6);
            }
        }

        // Column 4 has entries but row 4 is empty: its factor is 0 (torch's inf -> 0).
        Assert.Equal(0f, y.Value.Data[pattern.RowPtr[1] - 1]);
    }

    [Fact]
    public void SparseValuesMultiply_BothOperands()
        => GradientChecker.Check((t, v) => t.SparseValuesMultiply(Pattern(), v[0], v[1]), [R(Pattern().NonZeros, 1, 6), R(6, 3, 7)]);

    [Fact]
    public void SparseValuesMultiply_ValuesAndRightSideFromOneInput()
        => GradientChecker.Check((t, v) => t.SparseValuesMultiply(Pattern(), t.SampledGram(Pattern(), v[0]), v[0]), [R(6, 2, 8)]);

    [Fact]
    public void Softmax() => GradientChecker.Check((t, v) => t.Softmax(v[0]), [R(1, 4, 9, -3f, 3f)]);

    [Fact]
    public void ScaleByEntry_ModalWeights()
        => GradientChecker.Check((t, v) =>
        {
            var w = t.Softmax(v[0]);
            return t.Add(t.ScaleByEntry(v[1], w, 0), t.ScaleByEntry(v[2], w, 1));
        }, [R(1, 2, 10), R(5, 1, 11), R(5, 1, 12)]);

    [Fact]
    public void ScaleByEntry_SameInputScaledTwice()
        => GradientChecker.Check((t, v) => t.Add(t.ScaleByEntry(v[0], v[1], 1), t.ScaleByEntry(v[0], v[1], 1)), [R(3, 2, 13), R(1, 3, 14)]);

    [Fact]
    public void PyTorch_KnnValuesOfCosineSimilarities()
    {
        var f = new OpFixture("lattice_knn_values");
        var pattern = TestGraphs.FromDense(f.Float("const_pattern"));
        var tape = new Tape();
        f.Verify(tape, tape.SampledGram(pattern, tape.L2NormalizeRows(f["x"]), f.Indices("slots")));
    }

    [Fact]
    public void PyTorch_SymmetricNormalize()
    {
        var f = new OpFixture("lattice_symmetric_normalize");
        var pattern = TestGraphs.FromDense(f.Float("const_pattern"));
        var tape = new Tape();
        f.Verify(tape, tape.SymmetricNormalize(pattern, Column(tape, f["v"])));
    }

    [Fact]
    public void PyTorch_SparseValuesMultiply()
    {
        var f = new OpFixture("lattice_sparse_values_multiply");
        var pattern = TestGraphs.FromDense(f.Float("const_pattern"));
        var tape = new Tape();
        f.Verify(tape, tape.SparseValuesMultiply(pattern, f["v"], f["x"]));
    }

    [Fact]
    public void PyTorch_ModalWeights()
    {
        var f = new OpFixture("lattice_modal_weights");
        var tape = new Tape();
        var w = tape.Softmax(f["w"]);
        f.Verify(tape, tape.Add(tape.ScaleByEntry(f["a"], w, 0), tape.ScaleByEntry(f["b"], w, 1)));
    }

    /// <summary>The fixture stores nnz x 1 values; they load as such (a 2-D array).</summary>
    private static Variable Column(Tape tape, Variable v) => v.Cols == 1 ? v : throw new InvalidDataException($"{v} is not a column");
}
