// Seeded dropout: reproducible, thread-count independent masks with the right rate and scale; row-gathered variant.
using MultiRec.Engine;
using MultiRec.Engine.Autograd;

namespace MultiRec.Tests.Engine.Autograd;

public class DropoutTests
{
    private static float[] Values(Variable v) => v.Value.AsSpan().ToArray();

    [Fact]
    public void SameSeedGivesTheSameMask_DifferentSeedsDiffer()
    {
        var x = Variable.Constant(TestTensors.Uniform(50, 40, 1, 0.5f, 1f));
        var tape = new Tape();
        var a = Values(tape.Dropout(x, 0.5, seed: 42));
        var b = Values(tape.Dropout(x, 0.5, seed: 42));
        var c = Values(tape.Dropout(x, 0.5, seed: 43));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void DropsAboutPAndScalesSurvivorsByOneOverOneMinusP()
    {
        const double P = 0.3;
        var x = Variable.Constant(TestTensors.Uniform(400, 250, 2, 0.5f, 1f));
        var y = new Tape().Dropout(x, P, seed: 7);
        var scale = (float)(1.0 / (1.0 - P));
        var kept = 0;
        for (var i = 0; i < x.Value.Length; i++)
        {
            var v = y.Value.Data[i];
            if (v != 0f)
            {
                kept++;
                Assert.Equal(x.Value.Data[i] * scale, v);
            }
        }

        // 100,000 draws: the standard deviation of the kept fraction is 0.0014; 0.01 is seven of them.
        Assert.InRange(kept / (double)x.Value.Length, 0.69, 0.71);
    }

    [Fact]
    public void MaskDoesNotDependOnTheThreadCount()
    {
        var x = Variable.Constant(TestTensors.Uniform(600, 128, 3));
        var previous = ComputeSettings.Threads;
        try
        {
            ComputeSettings.Threads = 1;
            var single = Values(new Tape().Dropout(x, 0.5, seed: 9));
            ComputeSettings.Threads = 4;
            var many = Values(new Tape().Dropout(x, 0.5, seed: 9));
            Assert.Equal(single, many);
        }
        finally
        {
            ComputeSettings.Threads = previous;
        }
    }

    [Fact]
    public void RecordedAndUnrecordedDropoutAgree()
    {
        var x = Variable.Parameter(TestTensors.Uniform(300, 64, 4), "x");
        var tape = new Tape();
        var recorded = tape.Dropout(x, 0.5, seed: 5);
        Variable plain;
        using (tape.NoGrad())
        {
            plain = tape.Dropout(x, 0.5, seed: 5);
        }

        Assert.True(recorded.RequiresGrad);
        Assert.Equal(Values(plain), Values(recorded));
    }

    [Fact]
    public void GatherRowsOfDropout_EqualsGatherOfFullDropout()
    {
        var x = Variable.Parameter(TestTensors.Uniform(1500, 64, 5), "x");
        var random = new Random(1);
        var rows = Enumerable.Range(0, 2000).Select(_ => random.Next(1500)).ToArray();
        var tape = new Tape();
        var full = tape.GatherRows(tape.Dropout(x, 0.5, seed: 77), rows);
        var fused = tape.GatherRowsOfDropout(x, rows, 0.5, seed: 77);
        Assert.Equal(Values(full), Values(fused));

        var upstream = TestTensors.Uniform(rows.Length, 64, 6);
        tape.Backward(full, upstream);
        var expected = x.Grad!.Clone();
        x.ZeroGrad();
        tape.Backward(fused, upstream);
        Assert.Equal(expected.AsSpan().ToArray(), x.Grad!.AsSpan().ToArray());
    }

    [Fact]
    public void RngOverloadDrawsAFreshSeedPerCall()
    {
        var x = Variable.Constant(TestTensors.Uniform(20, 20, 8, 0.5f, 1f));
        var tape = new Tape();
        var rng = new Rng(5);
        var first = Values(tape.Dropout(x, 0.5, rng));
        var second = Values(tape.Dropout(x, 0.5, rng));
        Assert.NotEqual(first, second);
        Assert.Equal(first, Values(tape.Dropout(x, 0.5, new Rng(5).NextUInt64())));
    }

    [Fact]
    public void ProbabilityZeroIsIdentity_ProbabilityOneDropsEverything()
    {
        var x = Variable.Constant(TestTensors.Uniform(10, 10, 6));
        var tape = new Tape();
        Assert.Equal(Values(x), Values(tape.Dropout(x, 0.0, seed: 1)));
        Assert.All(Values(tape.Dropout(x, 1.0, seed: 1)), v => Assert.Equal(0f, v));
    }
}
