// Draws the interactions of a synthetic catalog: heavy-tailed user activity, popularity-weighted items from the
// topics a user prefers, personalised by latent factors; distinct pairs, every user >= 5 items, every item used.
namespace MultiRec.Data;

/// <summary>Interaction sampling for <see cref="SyntheticCatalog"/>. Work is O(interactions · latent dim +
/// users · topics · latent dim), never users × items.</summary>
internal static class SyntheticInteractions
{
    private const int MinItemsPerUser = 5;
    private const double TopicSharpness = 2.5;
    private const int CandidatesPerDraw = 4;
    private const int TopicAttempts = 32;
    private const ulong ActivityStream = 10, SamplingStream = 11, RepairStream = 12;

    /// <summary>Rows grouped by user (ascending), labelled with <see cref="PerUserSplit"/> using the options' seed.</summary>
    public static InterRows Draw(SyntheticCatalogOptions options, SyntheticLatents latents)
    {
        var perUser = UserActivity(options);
        var users = new int[options.Interactions];
        var items = new int[options.Interactions];
        var topics = new TopicSampler(options, latents);
        var owner = new int[options.Items];
        Array.Fill(owner, -1);
        var random = SeededRandom.ForStream(options.Seed, 0, SamplingStream);
        var affinity = new double[options.Topics];
        var scale = 1.0 / Math.Sqrt(latents.LatentDim);
        var row = 0;
        for (var u = 0; u < options.Users; u++)
        {
            topics.UserAffinity(latents.User(u), affinity);
            for (var k = 0; k < perUser[u]; k++)
            {
                var item = DrawNewItem(u, latents, topics, affinity, owner, random, scale);
                owner[item] = u;
                users[row] = u;
                items[row++] = item;
            }
        }

        CoverEveryItem(options, latents, items, SeededRandom.ForStream(options.Seed, 0, RepairStream));
        var labels = PerUserSplit.Assign(users, options.Users, options.Seed);
        return new InterRows(users, items, labels);
    }

    /// <summary>Items per user: 5 plus a share of the rest proportional to a Lomax (Pareto II) draw, capped at
    /// half the catalog; the counts sum to exactly options.Interactions.</summary>
    internal static int[] UserActivity(SyntheticCatalogOptions options)
    {
        var random = SeededRandom.ForStream(options.Seed, 0, ActivityStream);
        var weights = new double[options.Users];
        var total = 0.0;
        for (var u = 0; u < weights.Length; u++)
        {
            weights[u] = Math.Pow(1.0 - random.NextDouble(), -1.0 / options.ActivityTailIndex) - 1.0;
            total += weights[u];
        }

        var extra = (long)options.Interactions - (MinItemsPerUser * (long)options.Users);
        var capExtra = options.MaxItemsPerUser - MinItemsPerUser;
        var counts = new int[options.Users];
        long assigned = 0;
        for (var u = 0; u < counts.Length; u++)
        {
            var share = total > 0 ? weights[u] / total : 1.0 / counts.Length;
            var add = (int)Math.Min(capExtra, Math.Floor(extra * share));
            counts[u] = MinItemsPerUser + add;
            assigned += add;
        }

        // Hand out what flooring and capping left, one item per user per pass, from a random starting user.
        var remaining = extra - assigned;
        var start = random.NextInt(counts.Length);
        while (remaining > 0)
        {
            for (var k = 0; k < counts.Length && remaining > 0; k++)
            {
                var u = (start + k) % counts.Length;
                if (counts[u] < options.MaxItemsPerUser)
                {
                    counts[u]++;
                    remaining--;
                }
            }
        }

        return counts;
    }

    /// <summary>An item the user does not have yet: a topic drawn from the user's affinity, a few candidates drawn
    /// by popularity within it, the candidate with the best latent match plus Gumbel noise. Falls back to a
    /// uniform draw (the user holds at most half the catalog, so that ends fast).</summary>
    private static int DrawNewItem(
        int user, SyntheticLatents latents, TopicSampler topics, double[] affinity, int[] owner, SeededRandom random, double scale)
    {
        var userFactor = latents.User(user);
        for (var attempt = 0; attempt < TopicAttempts; attempt++)
        {
            var topic = TopicSampler.DrawIndex(affinity, random.NextDouble());
            var best = -1;
            var bestScore = double.NegativeInfinity;
            for (var c = 0; c < CandidatesPerDraw; c++)
            {
                var candidate = topics.DrawItem(topic, random.NextDouble());
                if (owner[candidate] == user)
                {
                    continue;
                }

                var gumbel = -Math.Log(-Math.Log(random.NextOpenUnit()));
                var score = (Dot(userFactor, latents.Item(candidate)) * scale) + gumbel;
                if (score > bestScore)
                {
                    (best, bestScore) = (candidate, score);
                }
            }

            if (best >= 0)
            {
                return best;
            }
        }

        while (true)
        {
            var item = random.NextInt(owner.Length);
            if (owner[item] != user)
            {
                return item;
            }
        }
    }

    /// <summary>Gives every unused item one interaction, taken from a row whose item has several (preferring a row
    /// whose item shares the unused item's topic). No user holds an unused item, so pairs stay distinct.</summary>
    private static void CoverEveryItem(SyntheticCatalogOptions options, SyntheticLatents latents, int[] items, SeededRandom random)
    {
        var counts = new int[options.Items];
        foreach (var item in items)
        {
            counts[item]++;
        }

        for (var unused = 0; unused < counts.Length; unused++)
        {
            if (counts[unused] > 0)
            {
                continue;
            }

            var row = -1;
            for (var attempt = 0; attempt < 256 && row < 0; attempt++)
            {
                var t = random.NextInt(items.Length);
                var sameTopic = latents.ItemTopic[items[t]] == latents.ItemTopic[unused];
                if (counts[items[t]] >= 2 && (sameTopic || attempt >= 64))
                {
                    row = t;
                }
            }

            // Pigeonhole: fewer used items than rows, so some item has two rows.
            for (var t = 0; row < 0; t++)
            {
                row = counts[items[t]] >= 2 ? t : -1;
            }

            counts[items[row]]--;
            items[row] = unused;
            counts[unused] = 1;
        }
    }

    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0.0;
        for (var d = 0; d < a.Length; d++)
        {
            sum += a[d] * b[d];
        }

        return sum;
    }

    /// <summary>Per-topic cumulative popularity tables and the user → topic affinity.</summary>
    private sealed class TopicSampler
    {
        private readonly SyntheticLatents _latents;
        private readonly int[][] _topicItems;
        private readonly double[][] _topicCumulative;
        private readonly double _scale;

        public TopicSampler(SyntheticCatalogOptions options, SyntheticLatents latents)
        {
            _latents = latents;
            _scale = TopicSharpness / Math.Sqrt(latents.LatentDim);
            var lists = Enumerable.Range(0, options.Topics).Select(_ => new List<int>()).ToArray();
            for (var i = 0; i < options.Items; i++)
            {
                lists[latents.ItemTopic[i]].Add(i);
            }

            _topicItems = [.. lists.Select(l => l.ToArray())];
            _topicCumulative = [.. _topicItems.Select(list => Cumulative(list.Select(i => latents.ItemPopularity[i])))];
        }

        /// <summary>Cumulative softmax over topics of sharpness · &lt;user, centre&gt; / sqrt(latent dim).</summary>
        public void UserAffinity(ReadOnlySpan<float> user, double[] cumulative)
        {
            var max = double.NegativeInfinity;
            for (var k = 0; k < cumulative.Length; k++)
            {
                cumulative[k] = Dot(user, _latents.Topic(k)) * _scale;
                max = Math.Max(max, cumulative[k]);
            }

            var sum = 0.0;
            for (var k = 0; k < cumulative.Length; k++)
            {
                sum += Math.Exp(cumulative[k] - max);
                cumulative[k] = sum;
            }
        }

        public int DrawItem(int topic, double uniform)
        {
            return _topicItems[topic][DrawIndex(_topicCumulative[topic], uniform)];
        }

        /// <summary>Index whose cumulative weight interval holds uniform · total.</summary>
        public static int DrawIndex(double[] cumulative, double uniform)
        {
            var target = uniform * cumulative[^1];
            var index = Array.BinarySearch(cumulative, target);
            index = index < 0 ? ~index : index + 1;
            return Math.Min(index, cumulative.Length - 1);
        }

        private static double[] Cumulative(IEnumerable<double> weights)
        {
            var sum = 0.0;
            return [.. weights.Select(w => sum += w)];
        }
    }
}
