// Callbacks through which the trainer reports progress (the CLI draws a progress bar and tables from them).
using MultiRec.Evaluation;

namespace MultiRec.Training;

/// <summary>Receives training progress. All methods are called on the training thread.</summary>
public interface ITrainingObserver
{
    /// <summary>Before the first batch: the metric that selects the best epoch (e.g. "recall@20").</summary>
    void OnStart(string validMetric);

    /// <summary>After each optimizer step.</summary>
    void OnBatch(int epoch, int batch, int batchesPerEpoch, double loss, TimeSpan epochElapsed);

    /// <summary>After each epoch's evaluation.</summary>
    void OnEpoch(EpochRecord record, MetricSet valid, MetricSet? test, int maxEpochs);

    /// <summary>A free-form message (resume, early stop, files written).</summary>
    void OnMessage(string message);
}

/// <summary>An observer that ignores everything (--quiet, tests).</summary>
public sealed class SilentObserver : ITrainingObserver
{
    /// <summary>The shared instance.</summary>
    public static readonly SilentObserver Instance = new();

    /// <summary>Ignored.</summary>
    public void OnStart(string validMetric)
    {
    }

    /// <summary>Ignored.</summary>
    public void OnBatch(int epoch, int batch, int batchesPerEpoch, double loss, TimeSpan epochElapsed)
    {
    }

    /// <summary>Ignored.</summary>
    public void OnEpoch(EpochRecord record, MetricSet valid, MetricSet? test, int maxEpochs)
    {
    }

    /// <summary>Ignored.</summary>
    public void OnMessage(string message)
    {
    }
}
