// The one exception type for bad input data: names the file, the line (when known) and the fault.
namespace MultiRec.Data;

/// <summary>Raised for malformed or inconsistent input files. The message always names the file,
/// and the line or field when one is known; the CLI prints it without a stack trace and exits 1.</summary>
public sealed class DataFormatException : Exception
{
    /// <summary>A fault <paramref name="problem"/> in <paramref name="file"/>, at <paramref name="line"/> when known.</summary>
    public DataFormatException(string file, string problem, long? line = null, Exception? inner = null)
        : base(Format(file, problem, line), inner)
    {
        File = file;
        Problem = problem;
        Line = line;
    }

    /// <summary>Path of the offending file, as given by the caller.</summary>
    public string File { get; }

    /// <summary>The fault, without the location prefix.</summary>
    public string Problem { get; }

    /// <summary>1-based line number, when the fault is tied to one line.</summary>
    public long? Line { get; }

    private static string Format(string file, string problem, long? line) =>
        line is { } l ? $"{file}:{l}: {problem}" : $"{file}: {problem}";
}
