// Exact deferred updates for row-sparse parameters: rows untouched by a step are brought up to date only when
// they are next read, touched or exported, by replaying the missed zero-gradient steps with the same kernel.
using MultiRec.Engine.Autograd;

namespace MultiRec.Engine;

/// <summary>
/// Deferred rows. For a parameter whose gradient is non-zero only on the rows a step touched (BM3's raw feature
/// tables: only the batch's items), dense Adam still moves every other row through its moments
/// (m ← β1·m, v ← β2·v, p ← p − s·m/(√v/c + ε)). Each row's update depends only on that row's state and the
/// step's scalars, so the same sequence of operations can be replayed later, row by row, while the row sits in
/// cache: <see cref="CatchUp"/> applies the missed steps with a zero gradient through the very kernel the dense
/// path uses, so the values are bit-identical to dense Adam. The caller must bring rows up to date before
/// reading them (<see cref="CatchUp"/>) and call <see cref="CatchUpAll"/> before reading the whole parameter. A
/// deferred parameter's gradient is a <see cref="RowSparseGradient"/>: its rows are the rows the step touches, and
/// it is cleared once applied. No parameter-sized gradient buffer exists for it.
/// This is not the approximate "lazy Adam" that skips rows (<see cref="AdamOptions.SkipZeroGradRows"/>).
/// </summary>
internal sealed partial class Adam
{
    private readonly List<Coefficients> _history = [];
    private int[]?[]? _rowStep;       // per deferred parameter: the step each row has been brought to
    private RowSparseGradient?[]? _sparseGrads; // per deferred parameter: the gradient the coming step applies
    private float[] _zeros = [];

    /// <summary>Gradient rows formed and applied together (a block of 4096-wide rows is 512 KiB).</summary>
    private const int GradientBlockRows = 32;

    [ThreadStatic]
    private static float[]? t_gradientBlock;

    /// <summary>Marks a parameter (by name) as row-deferred, with the row-sparse gradient its steps apply (its
    /// dense gradient, if one was given, is no longer read).</summary>
    public void DeferRows(string name, RowSparseGradient gradient)
    {
        var index = IndexOf(name);
        var value = _parameters[index].Value;
        if (gradient.ParameterRows != value.Rows || gradient.Cols != value.Cols)
        {
            throw new ArgumentException($"row-sparse gradient of {gradient.ParameterRows}x{gradient.Cols} does not match parameter '{name}' {value}", nameof(gradient));
        }

        _rowStep ??= new int[_parameters.Length][];
        _sparseGrads ??= new RowSparseGradient[_parameters.Length];
        _rowStep[index] = new int[value.Rows];
        Array.Fill(_rowStep[index]!, (int)StepCount);
        _sparseGrads[index] = gradient;
        _zeros = new float[Math.Max(_zeros.Length, _parameters[index].Value.Cols)];
    }

    /// <summary>True for a parameter registered with <see cref="DeferRows"/>.</summary>
    public bool IsDeferred(string name) => IsDeferred(IndexOf(name));

    /// <summary>Brings the given rows of a deferred parameter up to the current step (before the model reads them).</summary>
    public void CatchUp(string name, ReadOnlySpan<int> rows)
    {
        var index = IndexOf(name);
        var target = (int)StepCount;
        var list = rows.ToArray();
        Parallel.For(0, list.Length, ComputeSettings.ParallelOptions, k => CatchUpRow(index, list[k], target));
    }

    /// <summary>Brings every row of every deferred parameter up to the current step.</summary>
    public void CatchUpAll()
    {
        if (_rowStep is null)
        {
            return;
        }

        for (var p = 0; p < _parameters.Length; p++)
        {
            if (_rowStep[p] is { } steps)
            {
                var target = (int)StepCount;
                Parallel.For(0, steps.Length, ComputeSettings.ParallelOptions, r => CatchUpRow(p, r, target));
            }
        }
    }

    /// <summary>The live moments of every parameter, every deferred row brought up to date first (no copy: for
    /// writing checkpoints; the tensors change with the next step).</summary>
    public AdamState LiveState()
    {
        CatchUpAll();
        return new(StepCount, [.. _parameters.Select((p, i) => new AdamMoments(p.Name, _expAvg[i], _expAvgSq[i]))]);
    }

    private bool IsDeferred(int index) => _rowStep?[index] is not null;

    private AdamState ExportStateAfterCatchUp()
    {
        CatchUpAll();
        return ExportStateCore();
    }

    private int IndexOf(string name)
    {
        for (var i = 0; i < _parameters.Length; i++)
        {
            if (_parameters[i].Name == name)
            {
                return i;
            }
        }

        throw new ArgumentException($"no parameter named '{name}'", nameof(name));
    }

    /// <summary>Step already counted: missed steps up to StepCount − 1 with zero gradient, then this step's gradient.</summary>
    private void StepDeferredRows()
    {
        if (_rowStep is null)
        {
            return;
        }

        var now = (int)StepCount;
        for (var p = 0; p < _parameters.Length; p++)
        {
            if (_rowStep[p] is null)
            {
                continue;
            }

            var gradient = _sparseGrads![p]!;
            var index = p;
            var value = _parameters[p].Value;
            var cols = value.Cols;
            var c = _history[now - 1];
            var blocks = (gradient.Count + GradientBlockRows - 1) / GradientBlockRows;
            Parallel.For(0, blocks, ComputeSettings.ParallelOptions, block =>
            {
                // A block of gradient rows is formed in a per-thread buffer (from the factors when the gradient is
                // factored) and applied while it is in cache.
                var first = block * GradientBlockRows;
                var count = Math.Min(GradientBlockRows, gradient.Count - first);
                var rows = gradient.Rows;
                var buffer = t_gradientBlock is { } b && b.Length >= count * cols ? b : t_gradientBlock = new float[GradientBlockRows * cols];
                gradient.CopyRows(first, count, buffer);
                for (var k = 0; k < count; k++)
                {
                    var r = rows[first + k];
                    CatchUpRow(index, r, now - 1);
                    var start = r * cols;
                    AdamUpdate.Apply(value.Data.AsSpan(start, cols), buffer.AsSpan(k * cols, cols),
                        _expAvg[index].Data.AsSpan(start, cols), _expAvgSq[index].Data.AsSpan(start, cols), c);
                    _rowStep[index]![r] = now;
                }
            });
            gradient.Clear();
        }
    }

    private void CatchUpRow(int p, int r, int target)
    {
        var steps = _rowStep![p]!;
        var from = steps[r];
        if (from >= target)
        {
            return;
        }

        var cols = _parameters[p].Value.Cols;
        var start = r * cols;
        var value = _parameters[p].Value.Data.AsSpan(start, cols);
        var m = _expAvg[p].Data.AsSpan(start, cols);
        var v = _expAvgSq[p].Data.AsSpan(start, cols);
        var zeros = _zeros.AsSpan(0, cols);
        for (var t = from; t < target; t++)
        {
            AdamUpdate.Apply(value, zeros, m, v, _history[t]);
        }

        steps[r] = target;
    }

    private void ResetDeferredRows()
    {
        if (_rowStep is null)
        {
            return;
        }

        for (var p = 0; p < _rowStep.Length; p++)
        {
            if (_rowStep[p] is { } steps)
            {
                Array.Fill(steps, (int)StepCount);
            }
        }
    }
}
