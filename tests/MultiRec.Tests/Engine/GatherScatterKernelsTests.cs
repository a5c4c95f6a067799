// Row gather and scatter-add with duplicate indices, against sequential loops, on one and two threads.
using MultiRec.Engine;

namespace MultiRec.Tests.Engine;

[Collection(ComputeSettingsCollection.Name)]
public sealed class GatherScatterKernelsTests
{
    [Theory]
    [InlineData(1, 10, 5, 3)]
    [InlineData(2, 7050, 4096, 64)]
    [InlineData(2, 50, 6000, 40)]
    public void Gather_copies_indexed_rows(int threads, int sourceRows, int count, int cols)
    {
        var src = EngineTestUtil.RandomTensor(sourceRows, cols, 1);
        var random = new Random(2);
        var rows = Enumerable.Range(0, count).Select(_ => random.Next(sourceRows)).ToArray();
        var dst = new Tensor(count, cols);
        EngineTestUtil.WithThreads(threads, () => GatherScatterKernels.Gather(src, rows, dst));
        for (var i = 0; i < count; i++)
        {
            Assert.True(src.Row(rows[i]).SequenceEqual(dst.Row(i)), $"row {i}");
        }
    }

    [Theory]
    [InlineData(1, 10, 5, 3)]
    [InlineData(2, 7050, 4096, 64)]
    [InlineData(2, 50, 6000, 40)]
    public void ScatterAdd_accumulates_duplicates_in_index_order(int threads, int destinationRows, int count, int cols)
    {
        var src = EngineTestUtil.RandomTensor(count, cols, 3);
        var random = new Random(4);
        var rows = Enumerable.Range(0, count).Select(_ => random.Next(destinationRows)).ToArray();
        rows[0] = rows[^1];
        var dst = EngineTestUtil.RandomTensor(destinationRows, cols, 5);
        var expected = dst.Clone();
        for (var i = 0; i < count; i++)
        {
            for (var c = 0; c < cols; c++)
            {
                expected[rows[i], c] += src[i, c];
            }
        }

        EngineTestUtil.WithThreads(threads, () => GatherScatterKernels.ScatterAdd(src, rows, dst));
        Assert.Equal(expected.Data, dst.Data);
    }

    [Fact]
    public void Indices_out_of_range_are_rejected()
    {
        var t = new Tensor(3, 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => GatherScatterKernels.Gather(t, [0, 3], new Tensor(2, 2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => GatherScatterKernels.ScatterAdd(new Tensor(2, 2), [-1, 0], t));
    }
}
