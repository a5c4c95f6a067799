// Options of AddMultiRec: the run folder to serve, request limits, what exclude_seen removes, hot reload.
using MultiRec.Serving;

namespace MultiRec.AspNetCore;

/// <summary>Settings of the MultiRec services and endpoints, set in
/// <see cref="MultiRecServiceCollectionExtensions.AddMultiRec"/>.</summary>
public sealed class MultiRecOptions
{
    /// <summary>The run folder to serve (written by <c>multirec train</c> or <see cref="RecommenderTrainer.Fit"/>). Required.</summary>
    public string? RunFolder { get; set; }

    /// <summary>Overrides of the files the run points to (a moved dataset folder, other id maps). Default none.</summary>
    public ServingLoadOptions LoadOptions { get; set; } = new();

    /// <summary>k when a request gives none. Default 10.</summary>
    public int DefaultK { get; set; } = 10;

    /// <summary>Largest k a request may ask for. Default 1,000.</summary>
    public int MaxK { get; set; } = 1000;

    /// <summary>Most user ids in one batch request. Default 1,000.</summary>
    public int MaxBatchUsers { get; set; } = 1000;

    /// <summary>Batch budget: user ids × k at most this many entries. Default 20,000.</summary>
    public int MaxBatchEntries { get; set; } = 20_000;

    /// <summary>What exclude_seen=true (the default) removes. Default <see cref="ExcludeMode.Train"/>.</summary>
    public ExcludeMode Seen { get; set; } = ExcludeMode.Train;

    /// <summary>Reload the model when the run folder's run.json or embeddings change (a retrain into the same
    /// folder, or files copied in). Requests in flight finish on the model they started with. Default true.</summary>
    public bool WatchRunFolder { get; set; } = true;

    /// <summary>How long the folder must be quiet after a change before the reload starts. Default 2 s.</summary>
    public TimeSpan ReloadDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Throws an <see cref="ArgumentException"/> for an invalid combination.</summary>
    public void Validate()
    {
        if (MaxK < 1 || DefaultK < 1 || DefaultK > MaxK)
        {
            throw new ArgumentException($"need 1 <= default k <= max k (got default {DefaultK}, max {MaxK})");
        }

        if (MaxBatchEntries < 1)
        {
            throw new ArgumentException($"max batch entries must be at least 1 (got {MaxBatchEntries})");
        }

        if (MaxBatchUsers < 1)
        {
            throw new ArgumentException($"max batch users must be at least 1 (got {MaxBatchUsers})");
        }

        if (ReloadDelay < TimeSpan.Zero)
        {
            throw new ArgumentException($"reload delay must not be negative (got {ReloadDelay})");
        }
    }
}
