// A run folder loaded for serving: scoring embeddings, id maps and each user's known interactions.
using MultiRec.Data;
using MultiRec.Engine;
using MultiRec.Evaluation;

namespace MultiRec.Serving;

/// <summary>Everything recommend, export and serve read from a run: user and item scoring embeddings
/// (score(u, i) = user_emb[u] · item_emb[i]), the maps between original and internal ids, and the user→item
/// sets to exclude per <see cref="ExcludeMode"/>. Immutable once built and safe to share between threads.</summary>
public sealed class ServingModel
{
    private readonly UserItemCsr _train;
    private readonly UserItemCsr _trainValid;
    private readonly UserItemCsr _all;

    /// <summary>Builds a model from its parts. The interaction CSRs must have users × items equal to the
    /// embedding row counts; id maps default to the identity.</summary>
    internal ServingModel(
        Tensor userEmbeddings,
        Tensor itemEmbeddings,
        UserItemCsr train,
        UserItemCsr valid,
        UserItemCsr test,
        IdMap? userIds = null,
        IdMap? itemIds = null)
    {
        EmbeddingChecks.RequireSameWidth(userEmbeddings, itemEmbeddings);
        if (userEmbeddings.Cols < 1)
        {
            throw new ArgumentException("embeddings must have at least one column");
        }

        foreach (var (name, csr) in new[] { ("train", train), ("valid", valid), ("test", test) })
        {
            if (csr.Users != userEmbeddings.Rows || csr.Items != itemEmbeddings.Rows)
            {
                throw new ArgumentException(
                    $"{name} interactions are {csr.Users} users x {csr.Items} items; the embeddings are {userEmbeddings.Rows} users and {itemEmbeddings.Rows} items");
            }
        }

        UserIds = userIds ?? IdMap.Identity(userEmbeddings.Rows);
        ItemIds = itemIds ?? IdMap.Identity(itemEmbeddings.Rows);
        if (UserIds.Count != userEmbeddings.Rows || ItemIds.Count != itemEmbeddings.Rows)
        {
            throw new ArgumentException(
                $"id maps cover {UserIds.Count} users and {ItemIds.Count} items; the embeddings have {userEmbeddings.Rows} and {itemEmbeddings.Rows}");
        }

        UserEmbeddings = userEmbeddings;
        ItemEmbeddings = itemEmbeddings;
        _train = train;
        _trainValid = CsrUnion.Of(train, valid);
        _all = CsrUnion.Of(_trainValid, test);
    }

    /// <summary>Number of users.</summary>
    public int Users => UserEmbeddings.Rows;

    /// <summary>Number of items.</summary>
    public int Items => ItemEmbeddings.Rows;

    /// <summary>Embedding width d.</summary>
    public int Dims => UserEmbeddings.Cols;

    /// <summary>User scoring embeddings, users × d.</summary>
    internal Tensor UserEmbeddings { get; }

    /// <summary>Item scoring embeddings, items × d.</summary>
    internal Tensor ItemEmbeddings { get; }

    /// <summary>Original ↔ internal user ids.</summary>
    public IdMap UserIds { get; }

    /// <summary>Original ↔ internal item ids.</summary>
    public IdMap ItemIds { get; }

    /// <summary>The run folder it was loaded from (null when built from parts).</summary>
    public string? RunDirectory { get; init; }

    /// <summary>The dataset folder named by the run (null when built from parts).</summary>
    public string? DatasetDirectory { get; init; }

    /// <summary>Each user's items excluded under a mode (sorted, unique); null for <see cref="ExcludeMode.None"/>.</summary>
    public UserItemCsr? Excluded(ExcludeMode mode) => mode switch
    {
        ExcludeMode.None => null,
        ExcludeMode.Train => _train,
        ExcludeMode.TrainValid => _trainValid,
        ExcludeMode.All => _all,
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };
}
