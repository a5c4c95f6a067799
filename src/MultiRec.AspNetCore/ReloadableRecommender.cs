// The IRecommender in dependency injection: one loaded run, swapped atomically for a newer one on reload.
using MultiRec.Serving;

namespace MultiRec.AspNetCore;

/// <summary>An <see cref="IRecommender"/> whose model can be replaced without a restart. <see cref="Reload"/>
/// loads the run folder again and publishes the new model with one atomic reference swap: a request reads
/// <see cref="Current"/> once and finishes on that model, new requests see the new one. A failed reload leaves the
/// current model in place.</summary>
public sealed class ReloadableRecommender : IRecommender
{
    private readonly Func<RecommenderRun>? _load;
    private readonly Lock _reloadLock = new();
    private RecommenderRun _current;
    private long _generation = 1;

    internal ReloadableRecommender(RecommenderRun initial, Func<RecommenderRun>? load)
    {
        _current = initial;
        _load = load;
    }

    /// <summary>Loads a run folder into a recommender that <see cref="Reload"/> reloads from the same folder.</summary>
    /// <exception cref="MultiRec.Data.DataFormatException">A file of the run or its dataset is missing or malformed.</exception>
    public static ReloadableRecommender Open(string runFolder, ServingLoadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runFolder);
        RecommenderRun Load() => RecommenderRun.Load(runFolder, options);
        return new ReloadableRecommender(Load().WarmUp(), Load);
    }

    /// <summary>The model requests use now.</summary>
    public RecommenderRun Current => Volatile.Read(ref _current);

    /// <summary>1 for the first model, then one more per successful reload.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <inheritdoc />
    public RecommenderInfo Info => Current.Info;

    /// <summary>Loads the run folder again and swaps the model in; returns the new generation. Reloads run one
    /// at a time. Throws (and keeps the current model) when the folder cannot be loaded.</summary>
    /// <exception cref="InvalidOperationException">The recommender was not created from a run folder.</exception>
    public long Reload()
    {
        if (_load is null)
        {
            throw new InvalidOperationException("this recommender was built from a model in memory, not a run folder: there is nothing to reload");
        }

        lock (_reloadLock)
        {
            var fresh = _load().WarmUp();
            Volatile.Write(ref _current, fresh);
            return Interlocked.Increment(ref _generation);
        }
    }

    /// <inheritdoc />
    public bool ContainsUser(string userId) => Current.ContainsUser(userId);

    /// <inheritdoc />
    public bool ContainsItem(string itemId) => Current.ContainsItem(itemId);

    /// <inheritdoc />
    public UserRecommendations Recommend(string userId, int k = 10, ExcludeMode exclude = ExcludeMode.Train) => Current.Recommend(userId, k, exclude);

    /// <inheritdoc />
    public IReadOnlyList<UserRecommendations> RecommendBatch(IReadOnlyList<string> userIds, int k = 10, ExcludeMode exclude = ExcludeMode.Train) =>
        Current.RecommendBatch(userIds, k, exclude);

    /// <inheritdoc />
    public SimilarItems Similar(string itemId, int k = 10) => Current.Similar(itemId, k);
}
