// TensorPool: buffers are reused within a size class, ownership misuse is caught, retention is bounded.
using MultiRec.Engine;

namespace MultiRec.Tests.Engine;

public sealed class TensorPoolTests
{
    [Fact]
    public void Returned_buffers_are_reused_for_nearby_sizes()
    {
        var pool = new TensorPool();
        var first = pool.Rent(1000, 64);
        var buffer = first.Data;
        pool.Return(first);
        var second = pool.Rent(990, 64);
        Assert.Same(buffer, second.Data);
        Assert.Equal((990, 64), (second.Rows, second.Cols));
        Assert.Equal(1, pool.OutstandingCount);
        var third = pool.Rent(1000, 64, clear: true);
        Assert.NotSame(buffer, third.Data);
        Assert.All(third.AsSpan().ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Misuse_is_rejected()
    {
        var pool = new TensorPool();
        var t = pool.Rent(3, 3);
        pool.Return(t);
        Assert.Throws<InvalidOperationException>(() => pool.Return(t));
        Assert.Throws<InvalidOperationException>(() => pool.Return(new Tensor(3, 3)));
    }

    [Fact]
    public void Scoped_lease_returns_on_dispose_and_retention_is_capped()
    {
        var pool = new TensorPool(new TensorPoolOptions { MaxRetainedBytes = 4096 * sizeof(float) });
        using (var lease = pool.RentScoped(64, 64))
        {
            Assert.Equal(1, pool.OutstandingCount);
        }

        Assert.Equal(0, pool.OutstandingCount);
        Assert.Equal(4096, pool.RetainedFloats);
        pool.Return(pool.Rent(1, 16));
        Assert.Equal(4096, pool.RetainedFloats);
        pool.Clear();
        Assert.Equal(0, pool.RetainedFloats);
    }

    [Theory]
    [InlineData(1, 16)]
    [InlineData(17, 18)]
    [InlineData(1024, 1024)]
    [InlineData(1025, 1152)]
    [InlineData(2047, 2048)]
    public void Size_classes_waste_at_most_an_eighth(int length, int expected)
    {
        Assert.Equal(expected, TensorPool.SizeClass(length));
    }
}
