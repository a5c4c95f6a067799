// A parameter keeping a row-sparse gradient must receive exactly the dense gradient's non-zero rows.
using MultiRec.Engine;
using MultiRec.Engine.Autograd;

namespace MultiRec.Tests.Engine.Autograd;

public class RowSparseGradientTests
{
    [Theory]
    [InlineData(false)] // distinct rows: kept as the factors dY and W
    [InlineData(true)]  // repeated rows: accumulated
    public void LinearRows_SparseGradientEqualsDenseGradient(bool repeatRows)
    {
        var rows = repeatRows ? new[] { 5, 17, 5, 0, 39, 17, 17 } : [5, 17, 0, 39, 22];
        var dense = Run(rows, sparse: false, twice: false);
        var sparse = Run(rows, sparse: true, twice: false);
        Assert.Equal(dense.AsSpan().ToArray(), sparse.AsSpan().ToArray());
    }

    [Fact]
    public void TwoUsesInOneStep_Accumulate()
    {
        var rows = new[] { 3, 9, 12 };
        var dense = Run(rows, sparse: false, twice: true);
        var sparse = Run(rows, sparse: true, twice: true);
        TestTensors.AssertClose(dense, sparse, 1e-6, "table grad");
    }

    [Fact]
    public void RowsAreThoseReached_AndZeroGradClearsThem()
    {
        var table = Variable.Parameter(TestTensors.Uniform(40, 24, 1), "table");
        table.UseRowSparseGrad();
        var w = Variable.Parameter(TestTensors.Uniform(8, 24, 2), "w");
        var tape = new Tape { PoisonRecycledBuffers = true };
        tape.Backward(tape.LinearRows(table, [7, 2, 7], w), TestTensors.Uniform(3, 8, 3));
        Assert.Null(table.Grad);
        Assert.Equal([7, 2], table.SparseGrad!.Rows.ToArray());
        table.ZeroGrad();
        Assert.Equal(0, table.SparseGrad.Count);
        Assert.All(table.SparseGrad.ToDense().AsSpan().ToArray(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void OpsWithoutSparseSupport_RefuseClearly()
    {
        var table = Variable.Parameter(TestTensors.Uniform(10, 4, 1), "image_embedding.weight");
        table.UseRowSparseGrad();
        var tape = new Tape();
        var picked = tape.GatherRows(table, [1, 2]);
        var error = Assert.Throws<InvalidOperationException>(() => tape.Backward(picked, TestTensors.Uniform(2, 4, 2)));
        Assert.Contains("image_embedding.weight", error.Message);
        Assert.Contains("row-sparse", error.Message);
    }

    [Fact]
    public void FactoredRows_ReadInBlocks_EqualTheProduct()
    {
        var left = TestTensors.Uniform(5, 3, 21);
        var right = TestTensors.Uniform(3, 7, 22);
        var expected = new Tensor(5, 7);
        Gemm.Multiply(left, false, right, false, expected);
        var sparse = new RowSparseGradient(9, 7);
        Assert.True(sparse.TrySetProduct([8, 1, 4, 0, 6], left, right));
        var block = new float[2 * 7];
        sparse.CopyRows(2, 2, block);
        Assert.Equal(expected.AsSpan().Slice(2 * 7, 2 * 7).ToArray(), block);
        Assert.Throws<ArgumentOutOfRangeException>(() => sparse.CopyRows(4, 2, new float[14]));

        // Adding to a factored gradient first makes it explicit, then accumulates.
        sparse.Accumulate([4, 3], TestTensors.Uniform(2, 7, 23));
        Assert.False(sparse.IsFactored);
        Assert.Equal([8, 1, 4, 0, 6, 3], sparse.Rows.ToArray());
        Assert.False(new RowSparseGradient(9, 7).TrySetProduct([1, 1], TestTensors.Uniform(2, 3, 1), right)); // repeated rows
    }

    [Fact]
    public void OnlyTrainableLeavesCanBeSparse()
    {
        Assert.Throws<InvalidOperationException>(() => Variable.Constant(new Tensor(2, 2)).UseRowSparseGrad());
        var sparse = new RowSparseGradient(4, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => sparse.Accumulate([4], new Tensor(1, 3)));
        Assert.Throws<ArgumentException>(() => sparse.Accumulate([1], new Tensor(1, 2)));
    }

    [Fact]
    public void AllocateGrad_SwitchesBackToDense()
    {
        var table = Variable.Parameter(TestTensors.Uniform(6, 3, 1), "t");
        table.UseRowSparseGrad();
        table.AllocateGrad();
        Assert.Null(table.SparseGrad);
        Assert.NotNull(table.Grad);
    }

    private static Tensor Run(int[] rows, bool sparse, bool twice)
    {
        var table = Variable.Parameter(TestTensors.Uniform(40, 24, 11), "table");
        var w = Variable.Parameter(TestTensors.Uniform(8, 24, 12), "w");
        var b = Variable.Parameter(TestTensors.Uniform(1, 8, 13), "b");
        if (sparse)
        {
            table.UseRowSparseGrad();
        }

        var tape = new Tape { PoisonRecycledBuffers = true };
        var y = tape.LinearRows(table, rows, w, b);
        if (twice)
        {
            y = tape.Add(y, tape.LinearRows(table, rows.Reverse().ToArray(), w, b));
        }

        tape.Backward(y, TestTensors.Uniform(rows.Length, 8, 14));
        if (sparse)
        {
            Assert.Equal(!twice && rows.Distinct().Count() == rows.Length, table.SparseGrad!.IsFactored);
        }

        return sparse ? table.SparseGrad!.ToDense() : table.Grad!.Clone();
    }
}
