// The hidden structure of a synthetic catalog: topic centres, latent item and user factors, item popularity.
namespace MultiRec.Data;

/// <summary>Latent factors drawn from the options' seed. Item factors are their topic's centre plus noise, so
/// items of one topic are alike; interactions and features are both functions of these factors.</summary>
internal sealed class SyntheticLatents
{
    private const ulong TopicStream = 1, ItemStream = 2, UserStream = 3, PopularityStream = 4;

    private SyntheticLatents(SyntheticCatalogOptions options)
    {
        LatentDim = options.LatentDim;
        var random = SeededRandom.ForStream(options.Seed, 0, TopicStream);
        TopicCentres = Gaussian(random, options.Topics * LatentDim, 1.0);

        random = SeededRandom.ForStream(options.Seed, 0, ItemStream);
        ItemTopic = new int[options.Items];
        ItemFactors = new float[options.Items * LatentDim];
        for (var i = 0; i < options.Items; i++)
        {
            // Topics are dealt round-robin in a shuffled order so that each topic gets its share of items.
            ItemTopic[i] = i % options.Topics;
        }

        random.Shuffle(ItemTopic);
        for (var i = 0; i < options.Items; i++)
        {
            var centre = TopicCentres.AsSpan(ItemTopic[i] * LatentDim, LatentDim);
            var factor = ItemFactors.AsSpan(i * LatentDim, LatentDim);
            for (var d = 0; d < LatentDim; d++)
            {
                factor[d] = centre[d] + (float)(0.5 * random.NextGaussian());
            }
        }

        UserFactors = Gaussian(SeededRandom.ForStream(options.Seed, 0, UserStream), options.Users * LatentDim, 1.0);

        random = SeededRandom.ForStream(options.Seed, 0, PopularityStream);
        var rank = new int[options.Items];
        for (var i = 0; i < rank.Length; i++)
        {
            rank[i] = i;
        }

        random.Shuffle(rank);
        ItemPopularity = new double[options.Items];
        for (var i = 0; i < rank.Length; i++)
        {
            ItemPopularity[i] = Math.Pow(rank[i] + 1, -options.PopularityExponent);
        }
    }

    public int LatentDim { get; }

    /// <summary>(Topics, LatentDim) row-major.</summary>
    public float[] TopicCentres { get; }

    /// <summary>Topic of each item.</summary>
    public int[] ItemTopic { get; }

    /// <summary>(Items, LatentDim) row-major.</summary>
    public float[] ItemFactors { get; }

    /// <summary>(Users, LatentDim) row-major.</summary>
    public float[] UserFactors { get; }

    /// <summary>Unnormalised popularity weight of each item.</summary>
    public double[] ItemPopularity { get; }

    public static SyntheticLatents Draw(SyntheticCatalogOptions options) => new(options);

    public ReadOnlySpan<float> Item(int item) => ItemFactors.AsSpan(item * LatentDim, LatentDim);

    public ReadOnlySpan<float> User(int user) => UserFactors.AsSpan(user * LatentDim, LatentDim);

    public ReadOnlySpan<float> Topic(int topic) => TopicCentres.AsSpan(topic * LatentDim, LatentDim);

    private static float[] Gaussian(SeededRandom random, int count, double scale)
    {
        var values = new float[count];
        for (var n = 0; n < count; n++)
        {
            values[n] = (float)(scale * random.NextGaussian());
        }

        return values;
    }
}
