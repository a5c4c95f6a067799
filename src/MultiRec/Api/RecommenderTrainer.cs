// Cornac-style fit: trains a catalog model on a dataset, reports progress, honours cancellation, returns the run.
using MultiRec.Evaluation;
using MultiRec.Training;

namespace MultiRec;

/// <summary>Trains catalog models from C#, as <c>multirec train</c> does (same configuration layers, same run
/// folder), and opens the finished run for queries.</summary>
public static class RecommenderTrainer
{
    /// <summary>Trains <see cref="TrainSettings.Model"/> on <paramref name="dataset"/> with early stopping on the
    /// validation metric, writes the run folder and returns it loaded (best epoch's embeddings).</summary>
    /// <param name="dataset">The interactions (and features) to train on.</param>
    /// <param name="settings">Model, options and trainer settings; null: BM3 with its defaults.</param>
    /// <param name="progress">Receives a <see cref="TrainingProgress"/> after every epoch; may be null.</param>
    /// <param name="cancellationToken">Checked after every optimizer step; cancelling throws
    /// <see cref="OperationCanceledException"/> and leaves the run folder unfinished.</param>
    /// <exception cref="MultiRec.Config.ConfigException">A setting is unknown or out of bounds (the message names it).</exception>
    public static RecommenderRun Fit(InteractionDataset dataset, TrainSettings? settings = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        settings ??= new TrainSettings();
        cancellationToken.ThrowIfCancellationRequested();
        var outcome = Run(new TrainRequest
        {
            Model = settings.Model,
            DataDir = dataset.Folder,
            InterFile = dataset.InterFile,
            Set = SettingsPairs.From(settings),
            OutDir = settings.OutputFolder,
            Force = settings.Force,
        }, new ProgressObserver(progress, cancellationToken));
        return RecommenderRun.Load(outcome.Run.Path);
    }

    /// <summary>The one training entry point of the API and the `train` verb (which adds --config, --init and
    /// --resume to what <see cref="Fit"/> offers).</summary>
    internal static TrainOutcome Run(TrainRequest request, ITrainingObserver observer) => TrainingSession.Train(request, observer);

    private sealed class ProgressObserver(IProgress<TrainingProgress>? progress, CancellationToken cancel) : ITrainingObserver
    {
        private string _metric = "";

        public void OnStart(string validMetric) => _metric = validMetric;

        public void OnBatch(int epoch, int batch, int batchesPerEpoch, double loss, TimeSpan epochElapsed) => cancel.ThrowIfCancellationRequested();

        public void OnEpoch(EpochRecord record, MetricSet valid, MetricSet? test, int maxEpochs)
        {
            progress?.Report(new TrainingProgress(record.Epoch, maxEpochs, record.Loss, _metric, valid.ToDictionary(), record.IsBest));
            cancel.ThrowIfCancellationRequested();
        }

        public void OnMessage(string message)
        {
        }
    }
}
