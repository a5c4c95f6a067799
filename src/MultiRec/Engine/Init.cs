// Parameter initialisers with PyTorch's definitions and fan conventions (torch.nn.init, nn.Linear's bias).
namespace MultiRec.Engine;

/// <summary>Initialisers for 2-D weights (rows, cols). As in PyTorch, fan_in = cols and fan_out = rows, so an
/// embedding table (n, 64) gets the uniform bound sqrt(6 / (64 + n)) and a Linear weight (out, in) the normal
/// std sqrt(2 / (in + out)).</summary>
internal static class Init
{
    /// <summary>torch.nn.init.xavier_uniform_: U(-b, b) with b = gain * sqrt(6 / (fan_in + fan_out)).</summary>
    public static void XavierUniform(Tensor weight, Rng rng, float gain = 1f)
    {
        var bound = gain * Math.Sqrt(6.0 / FanSum(weight));
        rng.FillUniform(weight, (float)-bound, (float)bound);
    }

    /// <summary>torch.nn.init.xavier_normal_: N(0, std²) with std = gain * sqrt(2 / (fan_in + fan_out)).</summary>
    public static void XavierNormal(Tensor weight, Rng rng, float gain = 1f)
    {
        var std = gain * Math.Sqrt(2.0 / FanSum(weight));
        rng.FillNormal(weight, 0f, (float)std);
    }

    /// <summary>nn.Linear's default bias: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), or zeros when fan_in is 0.</summary>
    public static void LinearBias(Tensor bias, int fanIn, Rng rng)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fanIn);
        var bound = fanIn > 0 ? (float)(1.0 / Math.Sqrt(fanIn)) : 0f;
        rng.FillUniform(bias, -bound, bound);
    }

    private static double FanSum(Tensor weight)
    {
        if (weight.Rows == 0 || weight.Cols == 0)
        {
            throw new ArgumentException($"Xavier initialisation needs a non-empty 2-D weight, got {weight}");
        }

        return (double)weight.Cols + weight.Rows;
    }
}
