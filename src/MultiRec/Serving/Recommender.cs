// Low-latency top-K for one user or one item at a time: a panel GEMV and a top-K selection on the calling thread.
namespace MultiRec.Serving;

/// <summary>
/// Answers single queries against a <see cref="ServingModel"/>: a user's top-K items by score
/// (user_emb[u] · item_emb[i]) with excluded interactions removed, or an item's top-K most similar items by
/// cosine of the item scoring embeddings (the item itself excluded). Everything runs on the calling thread with
/// per-thread buffers (no Parallel.For, no allocation beyond the returned array). Order: higher score first,
/// equal scores by lower item id; fewer than K items come back when fewer candidates remain. Thread-safe.
/// </summary>
public sealed class Recommender
{
    private readonly ItemPanels _items;
    private readonly Lazy<ItemPanels> _normalisedItems;

    /// <summary>A recommender over <paramref name="model"/> (shared, read-only).</summary>
    public Recommender(ServingModel model)
    {
        Model = model;
        _items = ItemPanels.Build(model.ItemEmbeddings, normalise: false);
        _normalisedItems = new Lazy<ItemPanels>(() => ItemPanels.Build(model.ItemEmbeddings, normalise: true));
    }

    /// <summary>The model queried.</summary>
    public ServingModel Model { get; }

    /// <summary>Builds the cosine panels now instead of at the first similar-items query.</summary>
    public Recommender WarmUp()
    {
        _ = _normalisedItems.Value;
        return this;
    }

    /// <summary>A user's top-K items, best first.</summary>
    public ScoredItem[] Recommend(int user, int k, ExcludeMode exclude)
    {
        var scratch = RankUser(user, k, exclude, out var selector);
        return Drain(selector, scratch);
    }

    /// <summary>A user's top-K written into the spans (each at least min(k, items) long); returns how many.</summary>
    public int Recommend(int user, int k, ExcludeMode exclude, Span<int> items, Span<float> scores)
    {
        RankUser(user, k, exclude, out var selector);
        return selector.DrainSorted(items, scores);
    }

    /// <summary>The k items most similar to an item by cosine, best first, the item itself excluded.</summary>
    public ScoredItem[] Similar(int item, int k)
    {
        var scratch = RankSimilar(item, k, out var selector);
        return Drain(selector, scratch);
    }

    /// <summary>Similar items written into the spans (each at least min(k, items) long); returns how many.</summary>
    public int Similar(int item, int k, Span<int> items, Span<float> scores)
    {
        RankSimilar(item, k, out var selector);
        return selector.DrainSorted(items, scores);
    }

    private ScoringScratch RankUser(int user, int k, ExcludeMode exclude, out Evaluation.TopKSelector selector)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if ((uint)user >= (uint)Model.Users)
        {
            throw new ArgumentOutOfRangeException(nameof(user), $"user {user} is outside 0..{Model.Users - 1}");
        }

        var scratch = ScoringScratch.ForCurrentThread(_items.PaddedItems, Model.Dims);
        var scores = scratch.Scores.AsSpan(0, Model.Items);
        _items.Score(Model.UserEmbeddings.Row(user), scratch.Scores);
        selector = scratch.Selector(Math.Min(k, Model.Items));
        var excluded = Model.Excluded(exclude) is { } csr ? csr.ItemsOf(user) : [];
        selector.OfferRow(scores, excluded);
        return scratch;
    }

    private ScoringScratch RankSimilar(int item, int k, out Evaluation.TopKSelector selector)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if ((uint)item >= (uint)Model.Items)
        {
            throw new ArgumentOutOfRangeException(nameof(item), $"item {item} is outside 0..{Model.Items - 1}");
        }

        var panels = _normalisedItems.Value;
        var scratch = ScoringScratch.ForCurrentThread(panels.PaddedItems, Model.Dims);
        var query = scratch.Query.AsSpan(0, Model.Dims);
        Model.ItemEmbeddings.Row(item).CopyTo(query);
        ItemPanels.Normalise(query);
        panels.Score(query, scratch.Scores);
        selector = scratch.Selector(Math.Min(k, Model.Items));
        selector.OfferRow(scratch.Scores.AsSpan(0, Model.Items), [item]);
        return scratch;
    }

    private static ScoredItem[] Drain(Evaluation.TopKSelector selector, ScoringScratch scratch)
    {
        var items = scratch.ResultItems(selector.Capacity);
        var scores = scratch.ResultScores(selector.Capacity);
        var n = selector.DrainSorted(items, scores);
        var result = new ScoredItem[n];
        for (var i = 0; i < n; i++)
        {
            result[i] = new ScoredItem(items[i], scores[i]);
        }

        return result;
    }
}
