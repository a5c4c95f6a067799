// Finite-difference gradient checker for the autograd ops (central differences on the float32 forward).
using MultiRec.Engine;
using MultiRec.Engine.Autograd;

namespace MultiRec.Tests.Engine.Autograd;

/// <summary>
/// Compares the tape's gradients with central differences of L(x) = Σ r ⊙ f(x), r a fixed random upstream
/// gradient. The forward runs in float32 (the engine has no float64 path); L is summed in double.
/// <para>Error budget: with step h = 1e-2·max(1, |x|), the truncation error of a central difference is
/// h²·|f'''|/6 ≈ 2e-5 for O(1) curvature (zero for the linear and bilinear ops), and float32 round-off in
/// L contributes about n·ε₃₂·|y|/h ≈ 100·6e-8/1e-2 ≈ 6e-4 at worst for the n ≤ ~100 outputs used here,
/// typically far less (errors are random, ~√n). The actual float step (x+h) - x is used, so rounding of the
/// perturbed input costs nothing. The check therefore allows an error of 2e-3 relative to the largest
/// gradient entry of each input; a wrong backward (missing term, wrong transpose or index) is off by O(1).</para>
/// </summary>
internal static class GradientChecker
{
    public const double DefaultTolerance = 2e-3;
    private const double RelativeStep = 1e-2;

    /// <summary>Checks d(Σ r ⊙ build(inputs))/d inputs for every entry of every input.</summary>
    /// <returns>The largest relative error seen (for reporting).</returns>
    public static double Check(Func<Tape, Variable[], Variable> build, Tensor[] inputs, int seed = 7, double tolerance = DefaultTolerance)
    {
        var parameters = inputs.Select((t, i) => Variable.Parameter(t.Clone(), $"input{i}")).ToArray();
        var tape = new Tape { PoisonRecycledBuffers = true };
        var output = build(tape, parameters);
        var upstream = TestTensors.Uniform(output.Rows, output.Cols, seed, -1f, 1f);
        tape.Backward(output, upstream);
        var analytic = parameters.Select(p => p.Grad?.Clone() ?? new Tensor(p.Rows, p.Cols)).ToArray();

        var worst = 0.0;
        for (var i = 0; i < parameters.Length; i++)
        {
            var numeric = NumericGradient(build, parameters, i, upstream, tape);
            var error = TestTensors.RelativeError(analytic[i], numeric);
            Assert.True(error <= tolerance, $"input {i} ({inputs[i].Rows}x{inputs[i].Cols}): relative gradient error {error:E3} > {tolerance:E1}\n analytic {TestTensors.Show(analytic[i])}\n numeric  {TestTensors.Show(numeric)}");
            worst = Math.Max(worst, error);
        }

        return worst;
    }

    /// <summary>Central differences of Σ r ⊙ build(...) with respect to every entry of input i.</summary>
    public static Tensor NumericGradient(Func<Tape, Variable[], Variable> build, Variable[] parameters, int i, Tensor upstream, Tape tape)
    {
        var values = parameters[i].Value.Data;
        var numeric = new Tensor(parameters[i].Rows, parameters[i].Cols);
        for (var j = 0; j < parameters[i].Value.Length; j++)
        {
            var original = values[j];
            var h = (float)(RelativeStep * Math.Max(1.0, Math.Abs(original)));
            var plus = original + h;
            var minus = original - h;
            values[j] = plus;
            var lossPlus = Evaluate(build, parameters, upstream, tape);
            values[j] = minus;
            var lossMinus = Evaluate(build, parameters, upstream, tape);
            values[j] = original;
            numeric.Data[j] = (float)((lossPlus - lossMinus) / ((double)plus - minus));
        }

        return numeric;
    }

    /// <summary>Σ r ⊙ build(...) in double, without recording.</summary>
    public static double Evaluate(Func<Tape, Variable[], Variable> build, Variable[] parameters, Tensor upstream, Tape tape)
    {
        tape.Reset();
        double sum = 0;
        using (tape.NoGrad())
        {
            var y = build(tape, parameters);
            for (var k = 0; k < y.Value.Length; k++)
            {
                sum += (double)upstream.Data[k] * y.Value.Data[k];
            }
        }

        tape.Reset();
        return sum;
    }
}
