// A debugging aid for crash-recovery work: freeze `multirec train` right after a given epoch is saved, so it can be
// killed (or inspected) at a known point. Enabled only by the MULTIREC_DEBUG_HOLD_AFTER_EPOCH environment variable.
using MultiRec.Evaluation;
using MultiRec.Training;

namespace MultiRec.Cli;

/// <summary>Passes every callback on; after epoch <see cref="Epoch"/> (whose metrics line and checkpoints are on disk
/// by then) it prints "holding after epoch N" to stderr and blocks the training thread until the process ends.</summary>
internal sealed class HoldAfterEpochObserver(ITrainingObserver inner, int epoch, TextWriter error) : ITrainingObserver
{
    public const string Variable = "MULTIREC_DEBUG_HOLD_AFTER_EPOCH";

    public int Epoch { get; } = epoch;

    /// <summary>Wraps <paramref name="inner"/> when the variable holds a positive epoch number.</summary>
    public static ITrainingObserver Wrap(ITrainingObserver inner, TextWriter error) =>
        int.TryParse(Environment.GetEnvironmentVariable(Variable), out var epoch) && epoch > 0
            ? new HoldAfterEpochObserver(inner, epoch, error)
            : inner;

    public void OnStart(string validMetric) => inner.OnStart(validMetric);

    public void OnBatch(int epoch, int batch, int batchesPerEpoch, double loss, TimeSpan epochElapsed) =>
        inner.OnBatch(epoch, batch, batchesPerEpoch, loss, epochElapsed);

    public void OnEpoch(EpochRecord record, MetricSet valid, MetricSet? test, int maxEpochs)
    {
        inner.OnEpoch(record, valid, test, maxEpochs);
        if (record.Epoch == Epoch)
        {
            error.WriteLine($"holding after epoch {Epoch} ({Variable})");
            error.Flush();
            Thread.Sleep(Timeout.Infinite);
        }
    }

    public void OnMessage(string message) => inner.OnMessage(message);
}
