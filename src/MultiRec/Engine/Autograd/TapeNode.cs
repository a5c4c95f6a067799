// One recorded op: knows its outputs and how to push their gradients into its inputs.
namespace MultiRec.Engine.Autograd;

/// <summary>A recorded op with one output (most ops) or several (e.g. LightGcnPropagate's H_u and H_i).
/// <see cref="Backward"/> runs once the outputs' gradients are complete, if at least one output received a
/// gradient; an output whose Grad is still null then counts as zero.</summary>
internal abstract class TapeNode
{
    private readonly Variable[] _outputs;

    protected TapeNode(Variable output)
        : this([output])
    {
    }

    protected TapeNode(Variable[] outputs)
    {
        if (outputs.Length == 0)
        {
            throw new ArgumentException("an op needs at least one output", nameof(outputs));
        }

        _outputs = outputs;
    }

    /// <summary>The first output: the only one of a single-output op.</summary>
    public Variable Output => _outputs[0];

    /// <summary>Every output of the op.</summary>
    public ReadOnlySpan<Variable> Outputs => _outputs;

    /// <summary>The name backward timings are reported under.</summary>
    public virtual string OpName => Output.Name;

    /// <summary>True when a gradient reached any output.</summary>
    public bool ReceivedGradient
    {
        get
        {
            foreach (var output in _outputs)
            {
                if (output.Grad is not null)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Adds d loss / d input to every input that requires a gradient, reading the outputs' Grad.</summary>
    public abstract void Backward(Tape tape);
}
