// Adam against torch.optim.Adam (fixture from tools/reference/make_adam_fixture.py), state round trip, lazy variant.
using System.Text.Json;
using MultiRec.Engine;

namespace MultiRec.Tests.Engine;

[Collection(ComputeSettingsCollection.Name)]
public sealed class AdamTests
{
    public static TheoryData<string> Cases => ["defaults", "weight_decay", "large_eps"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Three_steps_match_pytorch(string caseName)
    {
        var (options, parameters, steps) = LoadCase(caseName);
        var adam = new Adam([.. parameters.Select(p => (p.Name, p.Value, p.Grad))], options);
        for (var s = 0; s < steps; s++)
        {
            foreach (var p in parameters)
            {
                p.Grads[s].CopyTo(p.Grad.AsSpan());
            }

            adam.Step();
        }

        var state = adam.ExportState();
        Assert.Equal(steps, state.Step);
        for (var i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            AssertRelative(p.ExpectedParam, p.Value.AsSpan(), $"{caseName} {p.Name} param");
            AssertUpdate(p.Initial, p.ExpectedParam, p.Value.AsSpan(), $"{caseName} {p.Name} update");
            AssertRelative(p.ExpectedExpAvg, state.Moments[i].ExpAvg.AsSpan(), $"{caseName} {p.Name} exp_avg");
            AssertRelative(p.ExpectedExpAvgSq, state.Moments[i].ExpAvgSq.AsSpan(), $"{caseName} {p.Name} exp_avg_sq");
        }
    }

    [Fact]
    public void Rows_with_zero_gradient_still_move_by_momentum()
    {
        var value = Tensor.FromArray(2, 2, [1f, 1f, 1f, 1f]);
        var grad = Tensor.FromArray(2, 2, [1f, 1f, 1f, 1f]);
        var adam = new Adam([("w", value, grad)]);
        adam.Step();
        adam.ZeroGrad();
        Assert.All(grad.Data, g => Assert.Equal(0f, g));
        var before = value.Clone();
        adam.Step();
        Assert.All(Enumerable.Range(0, 4), i => Assert.True(value.Data[i] < before.Data[i]));
    }

    [Fact]
    public void Lazy_variant_skips_rows_whose_gradient_is_zero()
    {
        var value = Tensor.FromArray(2, 2, [1f, 1f, 1f, 1f]);
        var grad = Tensor.FromArray(2, 2, [1f, 1f, 0f, -0f]);
        var adam = new Adam([("w", value, grad)], new AdamOptions { SkipZeroGradRows = true });
        adam.Step();
        Assert.True(value[0, 0] < 1f);
        Assert.Equal(1f, value[1, 0]);
        Assert.Equal(1f, value[1, 1]);
        Assert.Equal(0f, adam.ExportState().Moments[0].ExpAvg[1, 0]);
    }

    [Fact]
    public void Export_and_import_resume_identically_and_parallel_matches_serial()
    {
        // A parameter large enough to be split into several parallel chunks.
        var rows = (Adam.ChunkLength / 64 * 3) + 5;
        (Tensor Value, Tensor Grad) Make() => (EngineTestUtil.RandomTensor(rows, 64, 1), new Tensor(rows, 64));
        var (v1, g1) = Make();
        var (v2, g2) = Make();
        var first = new Adam([("w", v1, g1)], new AdamOptions { Lr = 0.01f, WeightDecay = 0.01f });
        var second = new Adam([("w", v2, g2)], new AdamOptions { Lr = 0.01f, WeightDecay = 0.01f });
        for (var s = 0; s < 4; s++)
        {
            var grad = EngineTestUtil.RandomTensor(rows, 64, 10 + s);
            grad.AsSpan().CopyTo(g1.AsSpan());
            grad.AsSpan().CopyTo(g2.AsSpan());
            EngineTestUtil.WithThreads(2, first.Step);
            EngineTestUtil.WithThreads(1, second.Step);
            if (s == 1)
            {
                // Resume the second optimiser from a checkpoint of the first: nothing may change.
                var third = new Adam([("w", v2, g2)], new AdamOptions { Lr = 0.01f, WeightDecay = 0.01f });
                third.ImportState(first.ExportState());
                second = third;
            }
        }

        Assert.Equal(v1.Data, v2.Data);
        Assert.Equal(4, second.StepCount);
    }

    [Fact]
    public void Import_rejects_mismatched_state()
    {
        var adam = new Adam([("w", new Tensor(2, 3), new Tensor(2, 3))]);
        var wrongName = new AdamState(1, [new AdamMoments("x", new Tensor(2, 3), new Tensor(2, 3))]);
        var wrongShape = new AdamState(1, [new AdamMoments("w", new Tensor(3, 2), new Tensor(3, 2))]);
        Assert.Throws<ArgumentException>(() => adam.ImportState(wrongName));
        Assert.Throws<ArgumentException>(() => adam.ImportState(wrongShape));
        Assert.Throws<ArgumentException>(() => new Adam([("w", new Tensor(2, 3), new Tensor(3, 2))]));
    }

    /// <summary>Relative error ≤ 1e-5 of the larger magnitude (float32 has 6e-8 relative precision; the
    /// slack covers rounding-order differences between PyTorch's kernels and ours).</summary>
    private static void AssertRelative(float[] expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var scale = Math.Max(Math.Abs(expected[i]), 1e-30);
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-5 * scale, $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }

    /// <summary>The total update p - p0 matches PyTorch's to 0.1 % (plus two float32 ulps of p): a looser measure than
    /// the parameter check in absolute terms, but sensitive to the update itself, which is ~5 % of |p|.</summary>
    private static void AssertUpdate(float[] initial, float[] expected, ReadOnlySpan<float> actual, string what)
    {
        for (var i = 0; i < expected.Length; i++)
        {
            var expectedDelta = (double)expected[i] - initial[i];
            var actualDelta = (double)actual[i] - initial[i];
            var bound = (1e-3 * Math.Abs(expectedDelta)) + (2 * MathF.BitIncrement(Math.Abs(expected[i])) - (2 * Math.Abs(expected[i])));
            Assert.True(Math.Abs(actualDelta - expectedDelta) <= bound, $"{what}[{i}]: expected {expectedDelta:R}, got {actualDelta:R}");
        }
    }

    private sealed record FixtureParameter(string Name, float[] Initial, Tensor Value, Tensor Grad, float[][] Grads, float[] ExpectedParam, float[] ExpectedExpAvg, float[] ExpectedExpAvgSq);

    private static (AdamOptions Options, List<FixtureParameter> Parameters, int Steps) LoadCase(string name)
    {
        var path = Path.Combine(TestPaths.Fixtures, "engine", "adam_reference.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var c = doc.RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        var options = new AdamOptions
        {
            Lr = (float)c.GetProperty("lr").GetDouble(),
            Beta1 = (float)c.GetProperty("beta1").GetDouble(),
            Beta2 = (float)c.GetProperty("beta2").GetDouble(),
            Eps = (float)c.GetProperty("eps").GetDouble(),
            WeightDecay = (float)c.GetProperty("weight_decay").GetDouble(),
        };
        static float[] Floats(JsonElement e) => [.. e.EnumerateArray().Select(x => (float)x.GetDouble())];
        var parameters = c.GetProperty("parameters").EnumerateArray().Select(p =>
        {
            var (rows, cols) = (p.GetProperty("rows").GetInt32(), p.GetProperty("cols").GetInt32());
            return new FixtureParameter(
                p.GetProperty("name").GetString()!,
                Floats(p.GetProperty("initial")),
                Tensor.FromArray(rows, cols, Floats(p.GetProperty("initial"))),
                new Tensor(rows, cols),
                [.. p.GetProperty("grads").EnumerateArray().Select(Floats)],
                Floats(p.GetProperty("param")),
                Floats(p.GetProperty("exp_avg")),
                Floats(p.GetProperty("exp_avg_sq")));
        }).ToList();
        return (options, parameters, c.GetProperty("steps").GetInt32());
    }
}
