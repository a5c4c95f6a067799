// Options of exporting every user's top-K to a file.
namespace MultiRec.Serving;

/// <summary>What `multirec export` writes and how it works through the users.</summary>
public sealed record ExportOptions
{
    /// <summary>Items per user. Default 50.</summary>
    public int K { get; init; } = 50;

    /// <summary>Interactions removed from the candidates. Default <see cref="ExcludeMode.Train"/>.</summary>
    public ExcludeMode Exclude { get; init; } = ExcludeMode.Train;

    /// <summary>File format; null (default) picks it from the output file's extension (.csv or .jsonl).</summary>
    public ExportFormat? Format { get; init; }

    /// <summary>Users ranked per chunk: one chunk is scored (in parallel blocks) while the previous one is written.
    /// Memory is about 2 × ChunkUsers × K × 8 bytes plus the ranker's per-thread score tiles (about 1 MiB each). Default 4,096.</summary>
    public int ChunkUsers { get; init; } = 4096;

    /// <summary>Throws an <see cref="ArgumentException"/> for an invalid option.</summary>
    public void Validate()
    {
        if (K < 1)
        {
            throw new ArgumentException($"k must be at least 1 (got {K})");
        }

        if (ChunkUsers < 1)
        {
            throw new ArgumentException($"chunk users must be at least 1 (got {ChunkUsers})");
        }
    }
}

/// <summary>Export progress: users written so far out of the total.</summary>
public readonly record struct ExportProgress(int UsersDone, int Users);

/// <summary>What an export wrote: users ranked and items recommended in all (fewer than users × K when some
/// users have fewer than K candidates).</summary>
public sealed record ExportSummary(string Path, ExportFormat Format, int Users, long Recommendations, int K, ExcludeMode Exclude, TimeSpan Elapsed);

/// <summary>What the export pipeline ranked: users, items recommended in all, and the K used (at most the item count).</summary>
public readonly record struct ExportCounts(int Users, long Recommendations, int K);
