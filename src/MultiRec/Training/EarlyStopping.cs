// Early stopping on the validation metric with the reference's rule (strict improvement, stop when cur_step > stopping_step).
namespace MultiRec.Training;

/// <summary>Tracks the best validation value. Mirrors MMRec's early_stopping(bigger=True): a value strictly above
/// the best resets the counter; otherwise the counter grows and training stops once it exceeds the patience.</summary>
internal sealed class EarlyStopping
{
    public EarlyStopping(int patience)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        Patience = patience;
    }

    /// <summary>stopping_step: evaluations without strict improvement tolerated.</summary>
    public int Patience { get; }

    /// <summary>Best value so far (the reference starts at -1).</summary>
    public double Best { get; private set; } = -1;

    /// <summary>Epoch (1-based) of the best value; 0 before any improvement.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>Evaluations since the last improvement.</summary>
    public int StepsSinceBest { get; private set; }

    /// <summary>True once training should stop.</summary>
    public bool ShouldStop { get; private set; }

    /// <summary>Records one evaluation; returns true when it is a new best.</summary>
    public bool Observe(double value, int epoch)
    {
        if (value > Best)
        {
            Best = value;
            BestEpoch = epoch;
            StepsSinceBest = 0;
            return true;
        }

        StepsSinceBest++;
        if (StepsSinceBest > Patience)
        {
            ShouldStop = true;
        }

        return false;
    }

    /// <summary>State for checkpoints.</summary>
    public (double Best, int BestEpoch, int StepsSinceBest, bool ShouldStop) Export() => (Best, BestEpoch, StepsSinceBest, ShouldStop);

    /// <summary>Restores a state from <see cref="Export"/>.</summary>
    public void Import((double Best, int BestEpoch, int StepsSinceBest, bool ShouldStop) state) =>
        (Best, BestEpoch, StepsSinceBest, ShouldStop) = state;
}
