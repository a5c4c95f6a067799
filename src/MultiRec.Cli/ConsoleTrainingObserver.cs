// Prints training progress: a live progress bar per epoch (terminal only) and one summary line per epoch.
using System.Globalization;
using MultiRec.Evaluation;
using MultiRec.Training;

namespace MultiRec.Cli;

/// <summary>Console progress for `multirec train`: bar with loss, seconds and ETA; one line per epoch with the valid
/// (and, when computed, test) metric, marked *best at a new best epoch; messages. The full metrics table is printed
/// once, at the end, by the verb (README: a line per epoch).</summary>
public sealed class ConsoleTrainingObserver(TextWriter output, TextWriter progress, bool interactive) : ITrainingObserver
{
    private const int BarWidth = 24;
    private string _metric = "recall";
    private int _metricK = 20;
    private DateTime _lastDraw = DateTime.MinValue;

    public void OnStart(string validMetric)
    {
        var at = validMetric.IndexOf('@');
        _metric = validMetric[..at];
        _metricK = int.Parse(validMetric[(at + 1)..], CultureInfo.InvariantCulture);
    }

    public void OnBatch(int epoch, int batch, int batchesPerEpoch, double loss, TimeSpan epochElapsed)
    {
        if (!interactive || (DateTime.UtcNow - _lastDraw).TotalMilliseconds < 100 && batch < batchesPerEpoch)
        {
            return;
        }

        _lastDraw = DateTime.UtcNow;
        var done = (int)Math.Round(BarWidth * (double)batch / batchesPerEpoch);
        var eta = batch == 0 ? 0 : epochElapsed.TotalSeconds / batch * (batchesPerEpoch - batch);
        progress.Write(string.Create(CultureInfo.InvariantCulture,
            $"\repoch {epoch,4} [{new string('#', done)}{new string('.', BarWidth - done)}] {batch}/{batchesPerEpoch} loss {loss:F4} {epochElapsed.TotalSeconds:F1}s eta {eta:F1}s   "));
    }

    public void OnEpoch(EpochRecord record, MetricSet valid, MetricSet? test, int maxEpochs)
    {
        if (interactive)
        {
            progress.Write("\r" + new string(' ', 100) + "\r");
        }

        var line = string.Create(CultureInfo.InvariantCulture,
            $"epoch {record.Epoch,4}  loss {record.Loss.GetValueOrDefault("loss"):F4}  train {record.TrainSeconds:F2}s  eval {record.EvalSeconds:F2}s  valid {_metric}@{_metricK} {valid.Get(_metric, _metricK):F4}");
        if (test is not null)
        {
            line += string.Create(CultureInfo.InvariantCulture, $"  test {_metric}@{_metricK} {test.Get(_metric, _metricK):F4}");
        }

        output.WriteLine(record.IsBest ? line + "  *best" : line);
    }

    public void OnMessage(string message) => output.WriteLine(message);
}
