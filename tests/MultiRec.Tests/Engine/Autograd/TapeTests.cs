// Tape semantics: += accumulation, reuse, stop-gradient (Detach, NoGrad), constants, buffer recycling, errors.
using MultiRec.Engine;
using MultiRec.Engine.Autograd;

namespace MultiRec.Tests.Engine.Autograd;

public class TapeTests
{
    private static Tensor R(int rows, int cols, int seed) => TestTensors.Uniform(rows, cols, seed);

    [Fact]
    public void Backward_AccumulatesAcrossCallsUntilZeroGrad()
    {
        var x = Variable.Parameter(R(2, 3, 1), "x");
        var tape = new Tape();
        var loss = tape.SumAll(tape.Scale(x, 3f));
        tape.Backward(loss);
        tape.Backward(loss);
        Assert.All(x.Grad!.AsSpan().ToArray(), g => Assert.Equal(6f, g));
        x.ZeroGrad();
        Assert.All(x.Grad!.AsSpan().ToArray(), g => Assert.Equal(0f, g));
        tape.Backward(loss);
        Assert.All(x.Grad!.AsSpan().ToArray(), g => Assert.Equal(3f, g));
    }

    [Fact]
    public void VariableUsedTwice_SumsItsGradients()
    {
        var x = Variable.Parameter(R(2, 2, 1), "x");
        var tape = new Tape();
        tape.Backward(tape.SumAll(tape.Add(tape.Scale(x, 2f), tape.Scale(x, 5f))));
        Assert.All(x.Grad!.AsSpan().ToArray(), g => Assert.Equal(7f, g));
    }

    [Fact]
    public void Detach_StopsTheGradient()
    {
        var x = Variable.Parameter(R(3, 2, 1), "x");
        var tape = new Tape();
        tape.Backward(tape.SumAll(tape.Mul(x, x.Detach())));
        Assert.Equal(x.Value.AsSpan().ToArray(), x.Grad!.AsSpan().ToArray()); // d/dx (x · const) = const = x, not 2x
    }

    [Fact]
    public void StopGradient_NoGradientAtAllReachesADetachedOnlyInput()
    {
        var x = Variable.Parameter(R(3, 2, 1), "x");
        var w = Variable.Parameter(R(2, 2, 2), "w");
        var tape = new Tape();
        Variable target;
        using (tape.NoGrad())
        {
            target = tape.Dropout(tape.Linear(x, w), 0.5, seed: 3);
        }

        var loss = tape.SumAll(tape.Mul(target, tape.Linear(x.Detach(), w)));
        tape.Backward(loss);
        Assert.Null(x.Grad);
        Assert.NotNull(w.Grad);
    }

    [Fact]
    public void StopGradient_MatchesFiniteDifferencesWithTheTargetFrozen()
    {
        // loss = 1 - mean cos(f(x)[rows], sg(dropout(x W'))[rows]): the analytic gradient must equal the numeric
        // gradient of the same function with the target replaced by a constant equal to its value at x.
        Tensor[] inputs = [R(5, 4, 1), R(3, 4, 2), R(3, 3, 3), R(1, 3, 4)];
        int[] rows = [4, 0, 4, 2];
        var parameters = inputs.Select((t, i) => Variable.Parameter(t.Clone(), $"p{i}")).ToArray();
        var tape = new Tape();
        Tensor frozen;
        using (tape.NoGrad())
        {
            frozen = tape.GatherRowsOfDropout(tape.Linear(parameters[0], parameters[1]), rows, 0.3, seed: 17).Value.Clone();
        }

        Variable Build(Tape t, Variable[] v, bool live)
        {
            Variable target;
            if (live)
            {
                using (t.NoGrad())
                {
                    target = t.GatherRowsOfDropout(t.Linear(v[0], v[1]).Detach(), rows, 0.3, seed: 17);
                }
            }
            else
            {
                target = Variable.Constant(frozen);
            }

            var online = t.LinearRows(t.Linear(v[0], v[1]), rows, v[2], v[3]);
            return t.ConstantMinus(1f, t.MeanAll(t.CosineSimilarityRows(online, target)));
        }

        tape.Reset();
        var loss = Build(tape, parameters, live: true);
        tape.Backward(loss);
        var upstream = Tensor.FromArray(1, 1, [1f]);
        for (var i = 0; i < parameters.Length; i++)
        {
            var numeric = GradientChecker.NumericGradient((t, v) => Build(t, v, live: false), parameters, i, upstream, new Tape());
            TestTensors.AssertClose(numeric, parameters[i].Grad, GradientChecker.DefaultTolerance, $"p{i}");
        }
    }

    [Fact]
    public void NoGrad_RecordsNothingAndNestedScopesRestore()
    {
        var x = Variable.Parameter(R(2, 2, 1), "x");
        var tape = new Tape();
        using (tape.NoGrad())
        {
            using (tape.NoGrad())
            {
                Assert.False(tape.Add(x, x).RequiresGrad);
            }

            Assert.False(tape.GradEnabled);
            Assert.False(tape.Scale(x, 2f).RequiresGrad);
        }

        Assert.True(tape.GradEnabled);
        Assert.Equal(0, tape.RecordedOps);
        Assert.True(tape.Scale(x, 2f).RequiresGrad);
        Assert.Equal(1, tape.RecordedOps);
    }

    [Fact]
    public void OpsOnConstantsOnly_AreNotRecorded()
    {
        var c = Variable.Constant(R(2, 2, 1));
        var w = Variable.Parameter(R(3, 2, 2), "w");
        var tape = new Tape();
        var y = tape.Scale(c, 2f);
        Assert.False(y.RequiresGrad);
        Assert.Equal(0, tape.RecordedOps);
        tape.Backward(tape.SumAll(tape.Linear(y, w)));
        Assert.Null(c.Grad);
        Assert.NotNull(w.Grad);
        Assert.Throws<InvalidOperationException>(() => tape.Backward(tape.SumAll(y)));
    }

    [Fact]
    public void Backward_ReleasesIntermediateGradientsButKeepsLeaves()
    {
        var x = Variable.Parameter(R(2, 2, 1), "x");
        var tape = new Tape();
        var hidden = tape.Scale(x, 2f);
        tape.Backward(tape.SumAll(hidden));
        Assert.Null(hidden.Grad);
        Assert.NotNull(x.Grad);
    }

    [Fact]
    public void Backward_RejectsNonScalarLossAndMismatchedGradient()
    {
        var x = Variable.Parameter(R(2, 2, 1), "x");
        var tape = new Tape();
        var y = tape.Scale(x, 2f);
        Assert.Throws<ArgumentException>(() => tape.Backward(y));
        Assert.Throws<ArgumentException>(() => tape.Backward(y, new Tensor(1, 4)));
    }

    [Fact]
    public void Ops_RejectBadShapesAndIndices()
    {
        var tape = new Tape();
        var a = Variable.Parameter(R(2, 3, 1), "a");
        var b = Variable.Parameter(R(3, 2, 2), "b");
        Assert.Throws<ArgumentException>(() => tape.Add(a, b));
        Assert.Throws<ArgumentException>(() => tape.Linear(a, b)); // W must be out x 3
        Assert.Throws<ArgumentOutOfRangeException>(() => tape.GatherRows(a, [0, 2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => tape.SliceRows(a, 1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => tape.Dropout(a, 1.5, 1));
    }

    [Fact]
    public void Reset_RecyclesBuffersAndTheNextStepReusesThem()
    {
        var x = Variable.Parameter(R(64, 64, 1), "x");
        var w = Variable.Parameter(R(32, 64, 2), "w");
        var tape = new Tape();
        Tensor Step()
        {
            tape.Reset();
            x.ZeroGrad();
            tape.Backward(tape.FrobeniusNorm(tape.Linear(tape.Add(x, x), w)));
            return x.Grad!.Clone();
        }

        var first = Step();
        tape.Reset();
        var pooled = tape.PooledFloats;
        Assert.True(pooled >= (64 * 64) + (64 * 32));
        var second = Step();
        Assert.Equal(first.AsSpan().ToArray(), second.AsSpan().ToArray());
        Assert.True(tape.PooledFloats < pooled); // buffers were taken from the pool
    }
}
