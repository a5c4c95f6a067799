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
public sealed class Variable
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

    /// <summary>Allocates a zero gradient buffer now (optimizers that bind to gradient buffers need them up front).</summary>
    public void AllocateGrad()
    {
        if (Grad is null)
        {
            Grad = Value.ZerosLike();
            GradState = GradContent.Zero;
        }
    }

    /// <summary>Sets the gradient to zero, keeping its buffer (no-op when none was allocated yet).</summary>
    public void ZeroGrad()
    {
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
