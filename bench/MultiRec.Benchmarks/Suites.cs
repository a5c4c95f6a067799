// The registry of benchmark suites: add one line per suite (name, description, entry point taking the remaining args).
namespace MultiRec.Benchmarks;

/// <summary>A benchmark suite: what it measures and how to run it.</summary>
internal sealed record Suite(string Description, Func<string[], int> Run);

internal static class Suites
{
    public static readonly IReadOnlyDictionary<string, Suite> All = new SortedDictionary<string, Suite>(StringComparer.Ordinal)
    {
        ["data"] = new("load times of ../shared/data baby and sports; synthetic catalog generation", DataSuite.Run),
    };
}
