// Draws the training curves (mean loss and valid metric per epoch) as a two-panel PNG.
using System.Globalization;

namespace MultiRec.Training.Reporting;

/// <summary>Renders loss and validation-metric curves to PNG.</summary>
public static class TrainingCurveChart
{
    private static readonly (byte, byte, byte) Ink = (40, 40, 40);
    private static readonly (byte, byte, byte) Grid = (225, 225, 225);
    private static readonly (byte, byte, byte) Blue = (31, 119, 180);
    private static readonly (byte, byte, byte) Orange = (230, 120, 20);

    /// <summary>PNG bytes with two panels: loss by epoch (left) and the valid metric by epoch (right), best epoch marked.</summary>
    public static byte[] Render(IReadOnlyList<EpochRecord> epochs, string metricName, int bestEpoch)
    {
        var canvas = new Raster(1000, 400);
        var loss = epochs.Select(e => (double)e.Epoch).Zip(epochs.Select(e => e.Loss.TryGetValue("loss", out var l) ? l : double.NaN)).ToList();
        var metric = epochs.Where(e => e.Valid is not null && e.Valid.ContainsKey(metricName))
            .Select(e => ((double)e.Epoch, e.Valid![metricName])).ToList();
        Panel(canvas, 0, "LOSS", loss, Blue, -1);
        Panel(canvas, 500, "VALID " + metricName.ToUpperInvariant(), metric, Orange, bestEpoch);
        return canvas.ToPng();
    }

    private static void Panel(Raster c, int x0, string title, List<(double X, double Y)> points, (byte, byte, byte) colour, int markX)
    {
        const int left = 70, right = 20, top = 40, bottom = 40, width = 500, height = 400;
        int px0 = x0 + left, px1 = x0 + width - right, py0 = top, py1 = height - bottom;
        c.Text(x0 + ((width - Raster.TextWidth(title, 2)) / 2), 10, title, Ink, 2);
        var valid = points.Where(p => double.IsFinite(p.Y)).ToList();
        if (valid.Count == 0)
        {
            return;
        }

        double xmin = valid.Min(p => p.X), xmax = Math.Max(valid.Max(p => p.X), xmin + 1);
        double ymin = valid.Min(p => p.Y), ymax = valid.Max(p => p.Y);
        if (ymax - ymin < 1e-12)
        {
            ymin -= 0.5;
            ymax += 0.5;
        }

        int X(double x) => px0 + (int)Math.Round((x - xmin) / (xmax - xmin) * (px1 - px0));
        int Y(double y) => py1 - (int)Math.Round((y - ymin) / (ymax - ymin) * (py1 - py0));
        for (var t = 0; t <= 4; t++)
        {
            var yv = ymin + ((ymax - ymin) * t / 4);
            c.Line(px0, Y(yv), px1, Y(yv), Grid);
            var label = yv.ToString(Math.Abs(ymax) < 1 ? "0.0000" : "0.000", CultureInfo.InvariantCulture);
            c.Text(px0 - Raster.TextWidth(label) - 4, Y(yv) - 3, label, Ink);
        }

        c.Line(px0, py1, px1, py1, Ink);
        c.Line(px0, py0, px0, py1, Ink);
        var xLabelMin = xmin.ToString("0", CultureInfo.InvariantCulture);
        var xLabelMax = xmax.ToString("0", CultureInfo.InvariantCulture);
        c.Text(px0, py1 + 6, xLabelMin, Ink);
        c.Text(px1 - Raster.TextWidth(xLabelMax), py1 + 6, xLabelMax, Ink);
        c.Text(((px0 + px1) / 2) - Raster.TextWidth("EPOCH") / 2, py1 + 20, "EPOCH", Ink);
        if (markX > 0 && markX >= xmin && markX <= xmax)
        {
            for (var y = py0; y < py1; y += 6)
            {
                c.Line(X(markX), y, X(markX), y + 2, Ink);
            }
        }

        for (var i = 1; i < valid.Count; i++)
        {
            c.Line(X(valid[i - 1].X), Y(valid[i - 1].Y), X(valid[i].X), Y(valid[i].Y), colour, 2);
        }

        if (valid.Count == 1)
        {
            c.Line(X(valid[0].X) - 2, Y(valid[0].Y), X(valid[0].X) + 2, Y(valid[0].Y), colour, 3);
        }
    }
}
