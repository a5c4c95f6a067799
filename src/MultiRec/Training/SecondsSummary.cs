// Small summary statistics of timings (median) shared by the trainer and the benchmark.
namespace MultiRec.Training;

/// <summary>Summaries of measured durations.</summary>
internal static class SecondsSummary
{
    /// <summary>The median of the values (0 for none).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
