// Shared helpers for engine tests: random tensors, double-precision reference products, tolerance checks.
using MultiRec.Engine;

namespace MultiRec.Tests.Engine;

/// <summary>Tests that change process-wide compute settings share this collection so they never run concurrently.</summary>
[CollectionDefinition(Name)]
public sealed class ComputeSettingsCollection
{
    public const string Name = "ComputeSettings";
}

/// <summary>Test helpers for the engine kernels.</summary>
internal static class EngineTestUtil
{
    /// <summary>A tensor of uniform values in [-1, 1) from a fixed seed.</summary>
    public static Tensor RandomTensor(int rows, int cols, int seed)
    {
        var random = new Random(seed);
        var t = new Tensor(rows, cols);
        var span = t.AsSpan();
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return t;
    }

    /// <summary>Runs the body with ComputeSettings.Threads set to the given value, restoring it afterwards.</summary>
    public static void WithThreads(int threads, Action body)
    {
        var saved = ComputeSettings.Threads;
        ComputeSettings.Threads = threads;
        try
        {
            body();
        }
        finally
        {
            ComputeSettings.Threads = saved;
        }
    }

    /// <summary>Asserts |actual - expected| &lt;= tol * scale + tiny, element by element, naming the first mismatch.</summary>
    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, ReadOnlySpan<double> scale, double tol)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var bound = (tol * scale[i]) + 1e-30;
            if (!(Math.Abs(actual[i] - expected[i]) <= bound))
            {
                Assert.Fail($"element {i}: expected {expected[i]}, got {actual[i]} (bound {bound})");
            }
        }
    }
}
