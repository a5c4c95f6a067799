// The autograd tape: records ops during the forward pass and runs their backward kernels in reverse.
namespace MultiRec.Engine.Autograd;

/// <summary>
/// Reverse-mode automatic differentiation over a fixed op set (the op methods live in the Tape.*.cs files).
/// <para>Usage per training step: <c>tape.Reset()</c>, build the loss with the tape's op methods,
/// <c>tape.Backward(loss)</c>, read parameters' <see cref="Variable.Grad"/>, step the optimiser,
/// zero the gradients.</para>
/// <para>An op is recorded only when recording is on (outside <see cref="NoGrad"/>) and at least one input
/// requires a gradient; otherwise its output is a constant. Output values of ops live in buffers the tape
/// recycles: they stay valid until the next <see cref="Reset"/> (copy what must outlive the step).</para>
/// <para>Thread-safety: a tape and the variables built on it belong to one thread at a time; the kernels
/// themselves run in parallel over rows (<see cref="ComputeSettings.Threads"/>). Independent tapes may be
/// used concurrently only when they share no parameter that receives a gradient.</para>
/// </summary>
internal sealed partial class Tape
{
    private readonly List<TapeNode> _nodes = [];
    private readonly List<Tensor> _ownedValues = [];
    private readonly TensorPool _pool = new();
    private bool _poison;

    /// <summary>False inside a <see cref="NoGrad"/> scope: ops then produce constants and record nothing.</summary>
    public bool GradEnabled { get; internal set; } = true;

    /// <summary>Number of ops recorded since the last <see cref="Reset"/>.</summary>
    public int RecordedOps => _nodes.Count;

    /// <summary>Floats kept in the tape's free buffer pool (reused by the next step).</summary>
    public long PooledFloats => _pool.RetainedFloats;

    /// <summary>Test hook: recycled buffers are filled with NaN (catches kernels that read before writing).</summary>
    internal bool PoisonRecycledBuffers
    {
        get => _poison;
        set => _poison = value;
    }

    /// <summary>When set, Backward adds each op's backward time (milliseconds) under the op's name (benchmarks).</summary>
    internal Dictionary<string, double>? BackwardProfile { get; set; }

    /// <summary>Runs <paramref name="forward"/> on this tape, reset, without recording, and returns copies of its two
    /// outputs (a model's user and item score vectors); the tape is reset again, so no step buffer is held.</summary>
    public (Tensor Users, Tensor Items) EvaluateWithoutGradient(Func<Tape, (Variable Users, Variable Items)> forward)
    {
        Reset();
        using (NoGrad())
        {
            var (users, items) = forward(this);
            var result = (users.Value.Clone(), items.Value.Clone());
            Reset();
            return result;
        }
    }

    /// <summary>Turns recording off until the returned scope is disposed (<c>using (tape.NoGrad()) { ... }</c>).</summary>
    public NoGradScope NoGrad()
    {
        var scope = new NoGradScope(this, GradEnabled);
        GradEnabled = false;
        return scope;
    }

    /// <summary>Back-propagates from a scalar (1x1) loss: seeds d loss / d loss = 1.</summary>
    public void Backward(Variable loss)
    {
        if (loss.Value.Length != 1)
        {
            throw new ArgumentException($"Backward(loss) needs a 1x1 loss; {loss.Name} is {loss.Rows}x{loss.Cols} (pass an output gradient)", nameof(loss));
        }

        var seed = new Tensor(1, 1);
        seed.Data[0] = 1f;
        Backward(loss, seed);
    }

    /// <summary>Back-propagates a given gradient of <paramref name="output"/> (same shape) through every recorded op.</summary>
    public void Backward(Variable output, Tensor outputGrad)
    {
        if (!output.RequiresGrad)
        {
            throw new InvalidOperationException($"{output.Name} does not depend on any parameter (or was built under NoGrad)");
        }

        if (!outputGrad.SameShape(output.Value))
        {
            throw new ArgumentException($"output gradient {outputGrad} does not match {output}", nameof(outputGrad));
        }

        var seed = GradForWrite(output, out var accumulate);
        Elementwise.Write(seed, outputGrad, accumulate);

        for (var i = _nodes.Count - 1; i >= 0; i--)
        {
            var node = _nodes[i];
            if (!node.ReceivedGradient)
            {
                continue; // no gradient reached this op
            }

            if (BackwardProfile is null)
            {
                node.Backward(this);
            }
            else
            {
                var start = System.Diagnostics.Stopwatch.GetTimestamp();
                node.Backward(this);
                var name = node.OpName;
                BackwardProfile[name] = BackwardProfile.GetValueOrDefault(name) + System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }

            ReleaseOutputGrads(node);
        }
    }

    /// <summary>Forgets the recorded ops and recycles every buffer the tape handed out (values and gradients of op outputs).</summary>
    public void Reset()
    {
        foreach (var node in _nodes)
        {
            ReleaseOutputGrads(node);
        }

        _nodes.Clear();
        foreach (var tensor in _ownedValues)
        {
            ReturnToPool(tensor);
        }

        _ownedValues.Clear();
    }

    /// <summary>Drops the free buffer pool (after <see cref="Reset"/>) so the memory can be reclaimed.</summary>
    public void TrimPool() => _pool.Clear();

    /// <summary>True when an op over these inputs must be recorded.</summary>
    internal bool ShouldRecord(Variable a) => GradEnabled && a.RequiresGrad;

    internal bool ShouldRecord(Variable a, Variable b) => GradEnabled && (a.RequiresGrad || b.RequiresGrad);

    internal bool ShouldRecord(Variable a, Variable b, Variable? c) => GradEnabled && (a.RequiresGrad || b.RequiresGrad || (c?.RequiresGrad ?? false));

    internal bool ShouldRecord(IReadOnlyList<Variable> inputs)
    {
        if (!GradEnabled)
        {
            return false;
        }

        foreach (var v in inputs)
        {
            if (v.RequiresGrad)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A new op output whose value buffer (arbitrary contents) the tape owns until Reset.</summary>
    internal Variable NewOutput(int rows, int cols, string name, bool requiresGrad)
        => new(RentValue(rows, cols), name, requiresGrad, isLeaf: false);

    /// <summary>A buffer (arbitrary contents) the tape owns until Reset: op outputs and values saved for backward.</summary>
    internal Tensor RentValue(int rows, int cols)
    {
        var t = RentFromPool(rows, cols);
        _ownedValues.Add(t);
        return t;
    }

    /// <summary>A scratch buffer for use inside one kernel; give it back with <see cref="ReturnScratch"/>.</summary>
    internal Tensor RentScratch(int rows, int cols) => RentFromPool(rows, cols);

    internal void ReturnScratch(Tensor scratch) => ReturnToPool(scratch);

    /// <summary>Throws unless every index is a row of a tensor with the given row count.</summary>
    internal static void CheckRowIndices(int[] indices, int rows, string op)
    {
        foreach (var i in indices)
        {
            if ((uint)i >= (uint)rows)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), $"{op}: row index {i} is outside [0, {rows})");
            }
        }
    }

    internal void Record(TapeNode node) => _nodes.Add(node);

    /// <summary>
    /// The gradient buffer of v for a kernel that writes every entry: when accumulate is false the buffer
    /// holds nothing useful and must be overwritten (=); otherwise the kernel adds (+=).
    /// </summary>
    internal Tensor GradForWrite(Variable v, out bool accumulate)
    {
        var grad = EnsureGrad(v);
        accumulate = v.GradState == GradContent.Values;
        v.GradState = GradContent.Values;
        return grad;
    }

    /// <summary>The gradient buffer of v ready for += (zeroed first when fresh), for kernels that touch only some entries.</summary>
    internal Tensor GradForAccumulate(Variable v)
    {
        var grad = EnsureGrad(v);
        if (v.GradState == GradContent.Garbage)
        {
            Elementwise.Clear(grad);
        }

        v.GradState = GradContent.Values;
        return grad;
    }

    private Tensor EnsureGrad(Variable v)
    {
        if (!v.RequiresGrad)
        {
            throw new InvalidOperationException($"{v.Name} does not require a gradient");
        }

        if (v.SparseGrad is not null)
        {
            throw new InvalidOperationException($"{v.Name} keeps a row-sparse gradient, which only LinearRows can produce; this op needs a dense one");
        }

        if (v.Grad is null)
        {
            if (v.IsLeaf)
            {
                v.Grad = new Tensor(v.Rows, v.Cols);
                v.GradState = GradContent.Zero;
            }
            else
            {
                v.Grad = RentFromPool(v.Rows, v.Cols);
                v.GradState = GradContent.Garbage;
            }
        }

        return v.Grad;
    }

    private void ReleaseOutputGrads(TapeNode node)
    {
        foreach (var output in node.Outputs)
        {
            ReleaseGrad(output);
        }
    }

    private void ReleaseGrad(Variable v)
    {
        if (!v.IsLeaf && v.Grad is not null)
        {
            ReturnToPool(v.Grad);
            v.Grad = null;
        }
    }

    private Tensor RentFromPool(int rows, int cols)
    {
        var t = _pool.Rent(rows, cols);
        if (_poison)
        {
            t.Data.AsSpan().Fill(float.NaN);
        }

        return t;
    }

    private void ReturnToPool(Tensor t)
    {
        if (_poison)
        {
            t.Data.AsSpan().Fill(float.NaN);
        }

        _pool.Return(t);
    }
}
