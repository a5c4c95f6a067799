// The export file writer: one user's ranking at a time, in the chosen format.
namespace MultiRec.Serving;

/// <summary>Writes one user's ranking at a time to a stream in an export format.</summary>
internal abstract class ExportWriter : IRecommendationSink
{
    protected ExportWriter(Stream output)
    {
        Output = output;
    }

    protected Stream Output { get; }

    public static ExportWriter Create(ExportFormat format, Stream output, IdMap itemIds) => format switch
    {
        ExportFormat.Csv => new CsvExportWriter(output, itemIds),
        ExportFormat.Jsonl => new JsonlExportWriter(output, itemIds),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>Writes whatever precedes the first user (a header line, or nothing).</summary>
    public abstract void WriteHeader();

    /// <summary>Writes one user's items (valid entries only, best first).</summary>
    public abstract void WriteUser(string userId, ReadOnlySpan<int> items, ReadOnlySpan<float> scores);
}
