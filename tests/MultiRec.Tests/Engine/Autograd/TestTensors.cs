// Helpers for engine tests: seeded random tensors, error measures, printing.
using System.Globalization;
using MultiRec.Engine;

namespace MultiRec.Tests.Engine.Autograd;

internal static class TestTensors
{
    /// <summary>A (rows x cols) tensor with entries uniform in [lo, hi), reproducible from the seed.</summary>
    public static Tensor Uniform(int rows, int cols, int seed, float lo = -1f, float hi = 1f)
    {
        var random = new Random(seed);
        var t = new Tensor(rows, cols);
        for (var i = 0; i < t.Length; i++)
        {
            t.Data[i] = lo + ((hi - lo) * random.NextSingle());
        }

        return t;
    }

    /// <summary>max |actual - expected| / max |expected| (with a floor of 1e-12): the error relative to the tensor's scale.</summary>
    public static double RelativeError(Tensor actual, Tensor expected)
    {
        Assert.Equal((expected.Rows, expected.Cols), (actual.Rows, actual.Cols));
        double maxDiff = 0, maxRef = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs((double)actual.Data[i] - expected.Data[i]));
            maxRef = Math.Max(maxRef, Math.Abs((double)expected.Data[i]));
            if (double.IsNaN(actual.Data[i]) != double.IsNaN(expected.Data[i]))
            {
                return double.PositiveInfinity;
            }
        }

        return maxDiff / Math.Max(maxRef, 1e-12);
    }

    /// <summary>Asserts actual ≈ expected within a relative error (see <see cref="RelativeError"/>).</summary>
    public static void AssertClose(Tensor expected, Tensor? actual, double tolerance, string what)
    {
        Assert.NotNull(actual);
        var error = RelativeError(actual, expected);
        Assert.True(error <= tolerance, $"{what}: relative error {error:E3} > {tolerance:E1}\n expected {Show(expected)}\n actual   {Show(actual)}");
    }

    /// <summary>The first entries of a tensor, for failure messages.</summary>
    public static string Show(Tensor t)
        => $"{t.Rows}x{t.Cols} [" + string.Join(", ", t.AsSpan()[..Math.Min(t.Length, 12)].ToArray().Select(v => v.ToString("G6", CultureInfo.InvariantCulture))) + (t.Length > 12 ? ", ...]" : "]");
}
