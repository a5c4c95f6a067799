// Parameter initialisers with PyTorch's definitions and fan convention (fan_in = columns, fan_out = rows).
namespace MultiRec.Engine;

/// <summary>torch.nn.init equivalents for 2-D weights.</summary>
public static class Init
{
    /// <summary>xavier_uniform_: U(−a, a) with a = √(6 / (fan_in + fan_out)). Returns the tensor.</summary>
    public static Tensor XavierUniform(Tensor w, Rng rng, double gain = 1.0)
    {
        var bound = gain * Math.Sqrt(6.0 / (w.Cols + w.Rows));
        var data = w.AsSpan();
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (float)(((2 * rng.NextDouble()) - 1) * bound);
        }

        return w;
    }

    /// <summary>xavier_normal_: N(0, σ²) with σ = √(2 / (fan_in + fan_out)). Returns the tensor.</summary>
    public static Tensor XavierNormal(Tensor w, Rng rng, double gain = 1.0)
    {
        var std = gain * Math.Sqrt(2.0 / (w.Cols + w.Rows));
        var data = w.AsSpan();
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (float)(rng.NextNormal() * std);
        }

        return w;
    }

    /// <summary>nn.Linear's default bias: U(−1/√fan_in, 1/√fan_in). Returns the tensor.</summary>
    public static Tensor LinearBias(Tensor b, int fanIn, Rng rng)
    {
        var bound = 1.0 / Math.Sqrt(fanIn);
        var data = b.AsSpan();
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (float)(((2 * rng.NextDouble()) - 1) * bound);
        }

        return b;
    }
}
