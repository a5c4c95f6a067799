// Disposable scope that turns recording off on a tape (stop-gradient for a whole block).
namespace MultiRec.Engine.Autograd;

/// <summary>Returned by <see cref="Tape.NoGrad"/>; restores the previous recording state on Dispose.</summary>
internal readonly struct NoGradScope : IDisposable
{
    private readonly Tape? _tape;
    private readonly bool _previous;

    internal NoGradScope(Tape tape, bool previous)
    {
        _tape = tape;
        _previous = previous;
    }

    public void Dispose()
    {
        if (_tape is not null)
        {
            _tape.GradEnabled = _previous;
        }
    }
}
