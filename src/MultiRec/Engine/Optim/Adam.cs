// Adam with PyTorch's semantics, fused into one vectorised pass per parameter chunk, parallel across chunks.
using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace MultiRec.Engine;

/// <summary>torch.optim.Adam (amsgrad off, maximize off). Each step, for every entry:
/// g ← g + wd·p (when wd ≠ 0); m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
/// p ← p − (lr / (1−β1^t)) · m / (sqrt(v) / sqrt(1−β2^t) + eps), with t the step count after increment.
/// Every entry is updated every step (zero gradients included) unless <see cref="AdamOptions.SkipZeroGradRows"/>.
/// The update reads p, g, m, v and writes p, m, v once per entry; parameters are cut into chunks run in parallel.</summary>
internal sealed partial class Adam
{
    /// <summary>Floats per parallel work item.</summary>
    internal const int ChunkLength = 1 << 16;

    private readonly (string Name, Tensor Value, Tensor? Grad)[] _parameters;
    private readonly Tensor[] _expAvg;
    private readonly Tensor[] _expAvgSq;
    private readonly WorkItem[] _work;
    private readonly long _totalFloats;

    /// <summary>Adam over (name, value, gradient) triples. A null gradient marks a parameter whose gradient is
    /// row-sparse: it must be registered with <see cref="DeferRows"/> before the first step.</summary>
    public Adam(IReadOnlyList<(string Name, Tensor Value, Tensor? Grad)> parameters, AdamOptions? options = null)
    {
        Options = options ?? new AdamOptions();
        if (!(Options.Beta1 >= 0f && Options.Beta1 < 1f && Options.Beta2 >= 0f && Options.Beta2 < 1f && Options.Eps >= 0f && Options.Lr >= 0f))
        {
            throw new ArgumentException($"invalid Adam options: {Options}", nameof(options));
        }

        _parameters = [.. parameters];
        var names = new HashSet<string>();
        foreach (var (name, value, grad) in _parameters)
        {
            if (!names.Add(name))
            {
                throw new ArgumentException($"duplicate parameter name '{name}'", nameof(parameters));
            }

            if (grad is not null && !value.SameShape(grad))
            {
                throw new ArgumentException($"parameter '{name}' is {value} but its gradient is {grad}", nameof(parameters));
            }
        }

        _expAvg = [.. _parameters.Select(p => p.Value.ZerosLike())];
        _expAvgSq = [.. _parameters.Select(p => p.Value.ZerosLike())];
        _work = [.. BuildWork(_parameters)];
        _totalFloats = _parameters.Sum(p => (long)p.Value.Length);
        LearningRate = Options.Lr;
    }

    /// <summary>The options this optimiser was made with.</summary>
    public AdamOptions Options { get; }

    /// <summary>The learning rate used by the next step (starts at Options.Lr; schedulers may change it).</summary>
    public float LearningRate { get; set; }

    /// <summary>Steps taken so far (torch's state['step']).</summary>
    public long StepCount { get; private set; }

    /// <summary>Parameter names in order.</summary>
    public IEnumerable<string> Names => _parameters.Select(p => p.Name);

    /// <summary>Applies one update to every parameter from its current gradient.</summary>
    public void Step()
    {
        for (var p = 0; p < _parameters.Length; p++)
        {
            if (_parameters[p].Grad is null && !IsDeferred(p))
            {
                throw new InvalidOperationException($"parameter '{_parameters[p].Name}' has no dense gradient and was not registered with DeferRows");
            }
        }

        StepCount++;
        var c = Coefficients.For(Options, LearningRate, StepCount);
        _history.Add(c);
        var blocks = ParallelRanges.BlockCount(_work.Length, _totalFloats * 7);
        if (blocks <= 1)
        {
            foreach (var item in _work)
            {
                if (!IsDeferred(item.Parameter))
                {
                    Run(item, c);
                }
            }
        }
        else
        {
            Parallel.For(0, _work.Length, ComputeSettings.ParallelOptions, i =>
            {
                if (!IsDeferred(_work[i].Parameter))
                {
                    Run(_work[i], c);
                }
            });
        }

        StepDeferredRows();
    }

    /// <summary>Sets every gradient to zero.</summary>
    public void ZeroGrad()
    {
        for (var p = 0; p < _parameters.Length; p++)
        {
            if (IsDeferred(p))
            {
                _sparseGrads![p]!.Clear();
            }
            else if (_parameters[p].Grad is { } grad)
            {
                ElementwiseKernels.Fill(grad, 0f);
            }
        }
    }

    /// <summary>A copy of the step count and moments (for checkpoints; costs two parameter-sized copies).</summary>
    public AdamState ExportState() => ExportStateAfterCatchUp();

    private AdamState ExportStateCore() =>
        new(StepCount, [.. _parameters.Select((p, i) => new AdamMoments(p.Name, _expAvg[i].Clone(), _expAvgSq[i].Clone()))]);

    /// <summary>Restores a state from <see cref="ExportState"/> (or a checkpoint); names and shapes must match.</summary>
    public void ImportState(AdamState state)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(state.Step);
        if (state.Moments.Count != _parameters.Length)
        {
            throw new ArgumentException($"state holds {state.Moments.Count} parameters, the optimiser {_parameters.Length}", nameof(state));
        }

        for (var i = 0; i < _parameters.Length; i++)
        {
            var (name, value, _) = _parameters[i];
            var moments = state.Moments[i];
            if (moments.Name != name || !moments.ExpAvg.SameShape(value) || !moments.ExpAvgSq.SameShape(value))
            {
                throw new ArgumentException($"state entry {i} ('{moments.Name}' {moments.ExpAvg}) does not match parameter '{name}' {value}", nameof(state));
            }
        }

        for (var i = 0; i < _parameters.Length; i++)
        {
            ElementwiseKernels.Copy(state.Moments[i].ExpAvg, _expAvg[i]);
            ElementwiseKernels.Copy(state.Moments[i].ExpAvgSq, _expAvgSq[i]);
        }

        StepCount = state.Step;
        _history.Clear();
        for (var t = 1; t <= StepCount; t++)
        {
            _history.Add(Coefficients.For(Options, LearningRate, t));
        }

        ResetDeferredRows();
    }

    private void Run(WorkItem item, in Coefficients c)
    {
        var (_, value, grad) = _parameters[item.Parameter];
        var m = _expAvg[item.Parameter];
        var v = _expAvgSq[item.Parameter];
        if (!Options.SkipZeroGradRows)
        {
            AdamUpdate.Apply(value.Data.AsSpan(item.Start, item.Length), grad!.Data.AsSpan(item.Start, item.Length),
                m.Data.AsSpan(item.Start, item.Length), v.Data.AsSpan(item.Start, item.Length), c);
            return;
        }

        var cols = Math.Max(1, value.Cols);
        for (var s = item.Start; s < item.Start + item.Length; s += cols)
        {
            var g = grad!.Data.AsSpan(s, cols);
            if (TensorPrimitives.MaxMagnitude(g) == 0f)
            {
                continue;
            }

            AdamUpdate.Apply(value.Data.AsSpan(s, cols), g, m.Data.AsSpan(s, cols), v.Data.AsSpan(s, cols), c);
        }
    }

    /// <summary>Chunks of at most ChunkLength floats, aligned to whole rows (the lazy variant skips rows).</summary>
    private static IEnumerable<WorkItem> BuildWork((string Name, Tensor Value, Tensor? Grad)[] parameters)
    {
        for (var p = 0; p < parameters.Length; p++)
        {
            var t = parameters[p].Value;
            var cols = Math.Max(1, t.Cols);
            var rowsPerChunk = Math.Max(1, ChunkLength / cols);
            for (var row = 0; row < t.Rows; row += rowsPerChunk)
            {
                var rows = Math.Min(rowsPerChunk, t.Rows - row);
                yield return new WorkItem(p, row * t.Cols, rows * t.Cols);
            }
        }
    }

    private readonly record struct WorkItem(int Parameter, int Start, int Length);

    /// <summary>The per-step scalars, computed in double from the decimal values the options were written with
    /// (0.9f means 0.9, as Python's float does) and then rounded to float, as PyTorch's kernels use them.</summary>
    internal readonly record struct Coefficients(
        float Beta1, float OneMinusBeta1, float Beta2, float OneMinusBeta2, float WeightDecay, float Eps, float BiasCorrection2Sqrt, float NegStepSize)
    {
        public static Coefficients For(AdamOptions o, float lr, long step)
        {
            double b1 = Intended(o.Beta1), b2 = Intended(o.Beta2);
            var biasCorrection1 = 1.0 - Math.Pow(b1, step);
            var biasCorrection2 = 1.0 - Math.Pow(b2, step);
            return new Coefficients(
                o.Beta1, (float)(1.0 - b1), o.Beta2, (float)(1.0 - b2), o.WeightDecay, o.Eps,
                (float)Math.Sqrt(biasCorrection2), (float)(-Intended(lr) / biasCorrection1));
        }

        private static double Intended(float x) => double.Parse(x.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }
}

/// <summary>The fused Adam update over one contiguous range (vectorised with a scalar tail of identical arithmetic).</summary>
internal static class AdamUpdate
{
    public static unsafe void Apply(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, in Adam.Coefficients c)
    {
        var n = p.Length;
        var i = 0;
        fixed (float* pp = p)
        fixed (float* pg = g)
        fixed (float* pm = m)
        fixed (float* pv = v)
        {
            if (Vector256.IsHardwareAccelerated)
            {
                var b1 = Vector256.Create(c.Beta1);
                var a1 = Vector256.Create(c.OneMinusBeta1);
                var b2 = Vector256.Create(c.Beta2);
                var a2 = Vector256.Create(c.OneMinusBeta2);
                var wd = Vector256.Create(c.WeightDecay);
                var eps = Vector256.Create(c.Eps);
                var bc2 = Vector256.Create(c.BiasCorrection2Sqrt);
                var step = Vector256.Create(c.NegStepSize);
                var decay = c.WeightDecay != 0f;
                for (; i + 8 <= n; i += 8)
                {
                    var param = Vector256.Load(pp + i);
                    var grad = Vector256.Load(pg + i);
                    if (decay)
                    {
                        grad = Vector256.FusedMultiplyAdd(param, wd, grad);
                    }

                    var mi = Vector256.FusedMultiplyAdd(grad, a1, Vector256.Load(pm + i) * b1);
                    var vi = (Vector256.Load(pv + i) * b2) + (a2 * grad * grad);
                    var denom = (Vector256.Sqrt(vi) / bc2) + eps;
                    Vector256.Store(mi, pm + i);
                    Vector256.Store(vi, pv + i);
                    Vector256.Store(param + (step * mi / denom), pp + i);
                }
            }

            for (; i < n; i++)
            {
                var param = pp[i];
                var grad = pg[i];
                if (c.WeightDecay != 0f)
                {
                    grad = MathF.FusedMultiplyAdd(param, c.WeightDecay, grad);
                }

                var mi = MathF.FusedMultiplyAdd(grad, c.OneMinusBeta1, pm[i] * c.Beta1);
                var vi = (pv[i] * c.Beta2) + (c.OneMinusBeta2 * grad * grad);
                var denom = (MathF.Sqrt(vi) / c.BiasCorrection2Sqrt) + c.Eps;
                pm[i] = mi;
                pv[i] = vi;
                pp[i] = param + (c.NegStepSize * mi / denom);
            }
        }
    }
}
