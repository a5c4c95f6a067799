// One recorded op: knows its output and how to push the output's gradient into its inputs.
namespace MultiRec.Engine.Autograd;

/// <summary>A recorded op. <see cref="Backward"/> runs once the output's gradient is complete.</summary>
internal abstract class TapeNode(Variable output)
{
    /// <summary>The variable this op produced.</summary>
    public Variable Output { get; } = output;

    /// <summary>Adds d loss / d input to every input that requires a gradient, reading Output.Grad.</summary>
    public abstract void Backward(Tape tape);
}
