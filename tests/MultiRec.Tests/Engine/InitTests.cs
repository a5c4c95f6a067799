// Initialisers follow PyTorch's formulas and fan convention (fan_in = columns, fan_out = rows).
using MultiRec.Engine;

namespace MultiRec.Tests.Engine;

public sealed class InitTests
{
    [Fact]
    public void Xavier_uniform_bound_depends_on_table_rows_like_pytorch()
    {
        // BM3 on Baby: user table 19445 x 64 has bound sqrt(6 / (64 + 19445)) = 0.0175.
        var users = new Tensor(19445, 64);
        Init.XavierUniform(users, new Rng(1));
        var bound = Math.Sqrt(6.0 / (64 + 19445));
        Assert.Equal(0.0175, bound, 4);
        Assert.All(users.Data, v => Assert.InRange(v, -bound, bound));
        Assert.True(users.Data.Max() > 0.99 * bound && users.Data.Min() < -0.99 * bound);
        var std = Math.Sqrt(users.Data.Average(v => (double)v * v));
        Assert.InRange(std, 0.99 * bound / Math.Sqrt(3), 1.01 * bound / Math.Sqrt(3));
    }

    [Fact]
    public void Xavier_normal_std_matches_linear_fans()
    {
        // image_trs weight (64 x 4096): std sqrt(2 / 4160) = 0.0219.
        var weight = new Tensor(64, 4096);
        Init.XavierNormal(weight, new Rng(2));
        var expected = Math.Sqrt(2.0 / (64 + 4096));
        Assert.Equal(0.0219, expected, 4);
        var mean = weight.Data.Average(v => (double)v);
        var std = Math.Sqrt(weight.Data.Average(v => ((double)v - mean) * (v - mean)));
        Assert.InRange(std, 0.99 * expected, 1.01 * expected);
        Assert.InRange(mean, -0.01 * expected, 0.01 * expected);
    }

    [Fact]
    public void Linear_bias_is_uniform_within_inverse_sqrt_fan_in()
    {
        var bias = new Tensor(1, 20000);
        Init.LinearBias(bias, 384, new Rng(3));
        var bound = 1 / Math.Sqrt(384);
        Assert.All(bias.Data, v => Assert.InRange(v, -bound, bound));
        Assert.InRange(bias.Data.Average(v => (double)v), -0.01 * bound, 0.01 * bound);
        Assert.True(bias.Data.Max() > 0.99 * bound);
    }

    [Fact]
    public void Same_seed_gives_same_weights()
    {
        var a = new Tensor(30, 20);
        var b = new Tensor(30, 20);
        Init.XavierNormal(a, new Rng(4));
        Init.XavierNormal(b, new Rng(4));
        Assert.Equal(a.Data, b.Data);
        Assert.Throws<ArgumentException>(() => Init.XavierUniform(new Tensor(0, 3), new Rng(1)));
    }
}
