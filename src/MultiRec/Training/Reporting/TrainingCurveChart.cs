// Draws a run's training curves (mean loss and the valid metric per epoch, best epoch marked) with ScottPlot.
using ScottPlot;

namespace MultiRec.Training.Reporting;

/// <summary>Renders loss and validation-metric curves of one run to PNG.</summary>
internal static class TrainingCurveChart
{
    /// <summary>PNG bytes: the mean training loss per epoch (left axis), the valid metric per epoch (right axis) and
    /// a dashed line at the best epoch.</summary>
    public static byte[] Render(IReadOnlyList<EpochRecord> epochs, string metricName, int bestEpoch)
    {
        var plot = new Plot();
        var lossPoints = epochs.Where(e => e.Loss.TryGetValue("loss", out var l) && double.IsFinite(l)).ToList();
        if (lossPoints.Count > 0)
        {
            var loss = plot.Add.Scatter(lossPoints.Select(e => (double)e.Epoch).ToArray(), lossPoints.Select(e => e.Loss["loss"]).ToArray());
            loss.LegendText = "training loss (left)";
            loss.MarkerSize = epochs.Count > 60 ? 0 : 4;
        }

        var metricPoints = epochs.Where(e => e.Valid is not null && e.Valid.ContainsKey(metricName)).ToList();
        if (metricPoints.Count > 0)
        {
            var metric = plot.Add.Scatter(metricPoints.Select(e => (double)e.Epoch).ToArray(), metricPoints.Select(e => e.Valid![metricName]).ToArray());
            metric.LegendText = $"valid {metricName} (right)";
            metric.MarkerSize = epochs.Count > 60 ? 0 : 4;
            metric.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = "valid " + metricName;
        }

        if (bestEpoch > 0)
        {
            var line = plot.Add.VerticalLine(bestEpoch);
            line.LinePattern = LinePattern.Dashed;
            line.LegendText = $"best epoch {bestEpoch}";
        }

        plot.Axes.Bottom.Label.Text = "epoch";
        plot.Axes.Left.Label.Text = "mean training loss";
        plot.Title("Training curves");
        plot.ShowLegend(Edge.Bottom);
        return plot.GetImageBytes(900, 420, ImageFormat.Png);
    }
}
