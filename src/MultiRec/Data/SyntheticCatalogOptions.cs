// Options of the synthetic catalog generator, with documented defaults and validation.
namespace MultiRec.Data;

/// <summary>Shape and randomness of a synthetic catalog. The defaults give a small catalog (2,000 users,
/// 1,000 items, 30,000 interactions, 256-d image and 128-d text features) on which BM3 trains to early stop in
/// about a minute on two CPU cores. Electronics' shape (192,403 / 63,001 / 1,689,188, image 4096, text 384) is
/// also supported: generation streams the features and does no users × items work.</summary>
public sealed record SyntheticCatalogOptions
{
    /// <summary>Dataset name: the interaction file is &lt;Name&gt;.inter. Default "synthetic".</summary>
    public string Name { get; init; } = "synthetic";

    /// <summary>Number of users (each gets at least 5 distinct items). Default 2,000.</summary>
    public int Users { get; init; } = 2000;

    /// <summary>Number of items (each gets at least one interaction). Default 1,000.</summary>
    public int Items { get; init; } = 1000;

    /// <summary>Total interactions (distinct user-item pairs). Default 30,000 (1.5 % density).</summary>
    public int Interactions { get; init; } = 30_000;

    /// <summary>Image feature dimension; 0 writes no image_feat.npy. Default 256.</summary>
    public int ImageDim { get; init; } = 256;

    /// <summary>Text feature dimension; 0 writes no text_feat.npy. Default 128.</summary>
    public int TextDim { get; init; } = 128;

    /// <summary>Seed of every random draw, the split included. Default 2023.</summary>
    public int Seed { get; init; } = 2023;

    /// <summary>Dimension of the latent user/item factors behind interactions and features. Default 16.</summary>
    public int LatentDim { get; init; } = 16;

    /// <summary>Number of item topics (clusters of latent item factors); users prefer a few topics. Default 24.</summary>
    public int Topics { get; init; } = 24;

    /// <summary>Item popularity follows weight (rank + 1)^-PopularityExponent over a random item order;
    /// 0 makes popularity uniform. Default 0.7 (the most popular 1 % of items then take roughly 7-22 % of interactions between the default and the Electronics shape; Amazon Baby and Sports: 12 %).</summary>
    public double PopularityExponent { get; init; } = 0.7;

    /// <summary>Tail index of the Pareto law of user activity beyond the 5 minimum interactions: smaller means a
    /// heavier tail of very active users. Default 3.0.</summary>
    public double ActivityTailIndex { get; init; } = 3.0;

    /// <summary>Standard deviation of the noise added to features before their nonlinearity; 0 makes features
    /// exact functions of the latent item factors. Default 0.5.</summary>
    public double FeatureNoise { get; init; } = 0.5;

    /// <summary>Most distinct items one user can get: half the catalog.</summary>
    public int MaxItemsPerUser => Items / 2;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid option and why.</summary>
    public void Validate()
    {
        var problem = FindProblem();
        if (problem is not null)
        {
            throw new ArgumentException($"invalid synthetic catalog options: {problem}");
        }
    }

    private string? FindProblem()
    {
        if (!PlainFileName.IsPlain(Name))
        {
            return $"name '{Name}' must be a non-empty file name without path separators";
        }

        if (Users < 1)
        {
            return $"users must be at least 1 (got {Users})";
        }

        if (Items < 10)
        {
            return $"items must be at least 10 so that every user can have 5 items out of half the catalog (got {Items})";
        }

        if (Interactions < 5L * Users)
        {
            return $"interactions must be at least 5 x users = {5L * Users} (got {Interactions})";
        }

        if (Interactions < Items)
        {
            return $"interactions must be at least items = {Items} so that every item is used (got {Interactions})";
        }

        if (Interactions > (long)Users * MaxItemsPerUser)
        {
            return $"interactions must be at most users x floor(items / 2) = {(long)Users * MaxItemsPerUser} (got {Interactions})";
        }

        if (ImageDim < 0 || TextDim < 0)
        {
            return $"feature dimensions must be 0 (no file) or positive (got image {ImageDim}, text {TextDim})";
        }

        if (LatentDim < 1)
        {
            return $"latent dimension must be at least 1 (got {LatentDim})";
        }

        if (Topics < 1 || Topics > Items)
        {
            return $"topics must be in [1, items] (got {Topics})";
        }

        if (!double.IsFinite(PopularityExponent) || PopularityExponent < 0)
        {
            return $"popularity exponent must be a finite number >= 0 (got {PopularityExponent})";
        }

        if (!double.IsFinite(ActivityTailIndex) || ActivityTailIndex <= 0)
        {
            return $"activity tail index must be a finite number > 0 (got {ActivityTailIndex})";
        }

        if (!double.IsFinite(FeatureNoise) || FeatureNoise < 0)
        {
            return $"feature noise must be a finite number >= 0 (got {FeatureNoise})";
        }

        return null;
    }
}
