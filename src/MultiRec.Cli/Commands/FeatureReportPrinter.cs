// Prints a feature extraction report: the summary on stdout, each item-level problem on stderr.
using MultiRec.Features.Extraction;

namespace MultiRec.Cli.Commands;

/// <summary>Human-readable output of `data features text|image`.</summary>
public static class FeatureReportPrinter
{
    /// <summary>At most this many problems are listed one by one; the rest are counted.</summary>
    public const int MaxListedProblems = 20;

    public static void Print(FeatureReport report, TextWriter output, TextWriter error)
    {
        foreach (var problem in report.Problems.Take(MaxListedProblems))
        {
            error.WriteLine($"warning: {problem} (mean vector used)");
        }

        if (report.Problems.Count > MaxListedProblems)
        {
            error.WriteLine($"warning: … and {report.Problems.Count - MaxListedProblems} more items without a feature (mean vector used)");
        }

        output.WriteLine(
            $"wrote {report.OutputPath}: {report.Rows} x {report.Cols} float32, {report.Encoded} items encoded, " +
            $"{report.Rows - report.Encoded} filled with the mean vector; {report.Elapsed.TotalSeconds:F1} s, {report.ItemsPerSecond:F0} items/s");
    }
}
