// The comparison's pictures (ScottPlot): accuracy against cost, one point per model with error bars over seeds,
// and every model's validation curve on one axis.
using ScottPlot;

namespace MultiRec.Training.Comparison;

/// <summary>PNG charts of a <see cref="ComparisonTable"/>.</summary>
internal static class ComparisonCharts
{
    /// <summary>The chart files <see cref="Write"/> produces, with their captions.</summary>
    public static readonly (string File, string Caption)[] Files =
    [
        ("compare_recall_vs_epoch_seconds.png", "Test Recall@20 (mean ± sd over seeds) against seconds per training epoch"),
        ("compare_recall_vs_memory.png", "Test Recall@20 (mean ± sd over seeds) against peak resident memory"),
        ("compare_curves.png", "Valid Recall@20 per epoch of each model (first seed)"),
    ];

    /// <summary>Colours of the palette; past these a model reuses a colour, told apart by its marker and line.</summary>
    private const int ColoursPerRound = 10;

    /// <summary>The i-th model's marker: filled circles for the first round of colours, squares after it.</summary>
    private static MarkerShape MarkerOf(int i) => i < ColoursPerRound ? MarkerShape.FilledCircle : MarkerShape.FilledSquare;

    /// <summary>Writes the three charts into <paramref name="folder"/>, each atomically.</summary>
    public static void Write(ComparisonTable table, string folder)
    {
        RunFolder.WriteBytesAtomic(Path.Combine(folder, Files[0].File), AgainstCost(table, r => r.SecondsPerEpoch, "seconds per training epoch"));
        RunFolder.WriteBytesAtomic(Path.Combine(folder, Files[1].File), AgainstCost(table, r => r.PeakRssMiB, "peak RSS (MiB)"));
        RunFolder.WriteBytesAtomic(Path.Combine(folder, Files[2].File), Curves(table));
    }

    /// <summary>One point per model: x = a cost, y = test Recall@20 with its sd over seeds as an error bar.</summary>
    public static byte[] AgainstCost(ComparisonTable table, Func<ComparisonRow, double> cost, string costLabel)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < table.Rows.Count; i++)
        {
            var row = table.Rows[i];
            double[] x = [cost(row)];
            double[] y = [row.Test["recall@20"].Mean];
            var point = plot.Add.Scatter(x, y, palette.GetColor(i)); // one colour per model for point, bar and label
            point.LineWidth = 0;
            point.MarkerSize = 9;
            point.MarkerShape = MarkerOf(i);
            point.LegendText = row.Model;
            var bar = plot.Add.ErrorBar(x, y, [row.Test["recall@20"].Sd]);
            bar.Color = point.Color;
            var label = plot.Add.Text(row.Model, x[0], y[0]);
            label.LabelFontColor = point.Color;
            label.OffsetX = 6;
            label.OffsetY = -6;
        }

        plot.Axes.Bottom.Label.Text = costLabel;
        plot.Axes.Left.Label.Text = "test recall@20";
        plot.Title($"{table.Dataset}: accuracy against cost");
        plot.ShowLegend(Edge.Bottom);
        var most = table.Rows.Max(cost);
        var (low, high) = (table.Rows.Min(r => r.Test["recall@20"].Mean - r.Test["recall@20"].Sd), table.Rows.Max(r => r.Test["recall@20"].Mean + r.Test["recall@20"].Sd));
        var pad = Math.Max(high - low, 0.01) * 0.15;
        plot.Axes.SetLimits(0, most > 0 ? most * 1.3 : 1, Math.Max(0, low - pad), high + pad); // costs start at zero
        return plot.GetImageBytes(800, 480, ImageFormat.Png);
    }

    /// <summary>Valid Recall@20 by epoch of each model's first final run, all on one axis.</summary>
    public static byte[] Curves(ComparisonTable table)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < table.Rows.Count; i++)
        {
            var row = table.Rows[i];
            var metrics = Path.Combine(row.Runs[0], "metrics.jsonl");
            if (!File.Exists(metrics))
            {
                continue;
            }

            var log = MetricsLog.Read(metrics).Where(e => e.Valid is not null && e.Valid.ContainsKey("recall@20")).ToList();
            var curve = plot.Add.Scatter(log.Select(e => (double)e.Epoch).ToArray(), log.Select(e => e.Valid!["recall@20"]).ToArray(), palette.GetColor(i));
            curve.LegendText = row.Model;
            curve.MarkerSize = log.Count > 60 ? 0 : 4;
            curve.MarkerShape = MarkerOf(i);
            curve.LinePattern = i < ColoursPerRound ? LinePattern.Solid : LinePattern.Dashed;
        }

        plot.Axes.Bottom.Label.Text = "epoch";
        plot.Axes.Left.Label.Text = "valid recall@20";
        plot.Title($"{table.Dataset}: training curves");
        plot.ShowLegend(Edge.Bottom);
        return plot.GetImageBytes(800, 480, ImageFormat.Png);
    }
}
