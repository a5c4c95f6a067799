// A node value in the autograd graph: a tensor, its lazily allocated gradient and whether it needs one.
namespace MultiRec.Engine.Autograd;

/// <summary>
/// A tensor taking part in reverse-mode differentiation. Leaves are made with <see cref="Parameter"/>
/// (trainable, RequiresGrad = true) or <see cref="Constant"/>; every other variable is the output of an op
/// recorded on a <see cref="Tape"/>. After <see cref="Tape.Backward(Variable)"/> a parameter's
/// <see cref="Grad"/> holds d loss / d value, accumulated (+=) over every use and every Backward call
/// until <see cref="ZeroGrad"/>. Gradients of intermediate (non-leaf) variables are released as soon
/// as they have been propagated, as in PyTorch.
/// </summary>
internal sealed class Variable
{
    internal Variable(Tensor value, string name, bool requiresGrad, bool isLeaf)
    {
        Value = value;
        Name = name;
        RequiresGrad = requiresGrad;
        IsLeaf = isLeaf;
    }

    /// <summary>The forward value. For op outputs the buffer belongs to the tape and is reused after <see cref="Tape.Reset"/>.</summary>
    public Tensor Value { get; }

    /// <summary>The accumulated gradient, same shape as <see cref="Value"/>; null until a gradient first reaches this variable.</summary>
    public Tensor? Grad { get; internal set; }

    /// <summary>The gradient of a parameter switched to <see cref="UseRowSparseGrad"/> (then <see cref="Grad"/> stays null).</summary>
    public RowSparseGradient? SparseGrad { get; private set; }

    /// <summary>True when gradients flow into (or through) this variable.</summary>
    public bool RequiresGrad { get; }

    /// <summary>True for parameters and constants; false for op outputs.</summary>
    public bool IsLeaf { get; }

    /// <summary>A name for diagnostics (parameters use their checkpoint key).</summary>
    public string Name { get; }

    /// <summary>Rows of <see cref="Value"/>.</summary>
    public int Rows => Value.Rows;

    /// <summary>Columns of <see cref="Value"/>.</summary>
    public int Cols => Value.Cols;

    /// <summary>The single entry of a 1x1 value (a loss).</summary>
    public float Scalar => Value.Length == 1 ? Value.Data[0] : throw new InvalidOperationException($"{Name} is {Rows}x{Cols}, not a scalar");

    /// <summary>What the gradient buffer currently holds (lets backward kernels overwrite instead of zero-then-add).</summary>
    internal GradContent GradState { get; set; }

    /// <summary>A trainable leaf: gradients accumulate into <see cref="Grad"/>.</summary>
    public static Variable Parameter(Tensor value, string name) => new(value, name, requiresGrad: true, isLeaf: true);

    /// <summary>A leaf that never receives a gradient (inputs, targets, fixed matrices).</summary>
    public static Variable Constant(Tensor value, string name = "constant") => new(value, name, requiresGrad: false, isLeaf: true);

    /// <summary>Stop-gradient: a constant sharing this variable's value buffer (no copy, not recorded).</summary>
    public Variable Detach() => new(Value, Name + ".detach", requiresGrad: false, isLeaf: true);

    /// <summary>Allocates a dense zero gradient buffer now (optimizers that bind to gradient buffers need them up
    /// front); a parameter using a row-sparse gradient goes back to a dense one.</summary>
    public void AllocateGrad()
    {
        SparseGrad = null;
        if (Grad is null)
        {
            Grad = Value.ZerosLike();
            GradState = GradContent.Zero;
        }
    }

    /// <summary>Keeps this parameter's gradient row-sparse (<see cref="SparseGrad"/>) instead of dense, for a
    /// parameter that each step reads at only a few rows (and only through ops that support it: LinearRows).
    /// Any dense gradient buffer is released.</summary>
    public void UseRowSparseGrad()
    {
        if (!IsLeaf || !RequiresGrad)
        {
            throw new InvalidOperationException($"{Name}: only a trainable parameter can keep a row-sparse gradient");
        }

        Grad = null;
        SparseGrad ??= new RowSparseGradient(Rows, Cols);
    }

    /// <summary>Sets the gradient to zero, keeping its buffer (no-op when none was allocated yet).</summary>
    public void ZeroGrad()
    {
        SparseGrad?.Clear();
        if (Grad is not null)
        {
            Grad.AsSpan().Clear();
            GradState = GradContent.Zero;
        }
    }

    public override string ToString() => $"{Name} ({Rows}x{Cols}{(RequiresGrad ? ", grad" : "")})";
}

/// <summary>State of a gradient buffer.</summary>
internal enum GradContent
{
    /// <summary>A recycled buffer with arbitrary contents.</summary>
    Garbage,

    /// <summary>All zeros.</summary>
    Zero,

    /// <summary>Accumulated gradient values.</summary>
    Values,
}
