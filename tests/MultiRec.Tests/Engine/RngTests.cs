// Seeded RNG: reproducibility, state resume, thread-independent fills, distribution sanity (means, fractions).
using MultiRec.Engine;

namespace MultiRec.Tests.Engine;

[Collection(ComputeSettingsCollection.Name)]
public sealed class RngTests
{
    [Fact]
    public void Same_seed_gives_same_sequence_and_different_seeds_differ()
    {
        var a = new Rng(999);
        var b = new Rng(999);
        var c = new Rng(1000);
        var seqA = Enumerable.Range(0, 100).Select(_ => a.NextUInt64()).ToArray();
        var seqB = Enumerable.Range(0, 100).Select(_ => b.NextUInt64()).ToArray();
        var seqC = Enumerable.Range(0, 100).Select(_ => c.NextUInt64()).ToArray();
        Assert.Equal(seqA, seqB);
        Assert.NotEqual(seqA, seqC);
    }

    [Fact]
    public void Xoshiro_core_matches_the_published_algorithm()
    {
        // xoshiro256** from state {1, 2, 3, 4}: the first outputs follow from the reference C code by hand:
        // result = rotl(s1 * 5, 7) * 9 = rotl(10, 7) * 9 = 1280 * 9 = 11520; the next state gives 0, then 1509978240.
        var rng = new Rng(new RngState(1, 2, 3, 4));
        Assert.Equal(11520UL, rng.NextUInt64());
        Assert.Equal(0UL, rng.NextUInt64());
        Assert.Equal(1509978240UL, rng.NextUInt64());
    }

    [Fact]
    public void Exported_state_resumes_the_same_sequence()
    {
        var rng = new Rng(7);
        rng.NextUInt64();
        var saved = rng.ExportState();
        var expected = Enumerable.Range(0, 10).Select(_ => rng.NextFloat()).ToArray();
        var resumed = new Rng(saved);
        Assert.Equal(expected, Enumerable.Range(0, 10).Select(_ => resumed.NextFloat()));
        Assert.Throws<ArgumentException>(() => new Rng(new RngState(0, 0, 0, 0)));
    }

    [Fact]
    public void Uniform_draws_are_in_range_with_the_right_mean()
    {
        var rng = new Rng(1);
        var floats = Enumerable.Range(0, 100_000).Select(_ => rng.NextFloat()).ToArray();
        Assert.All(floats, f => Assert.InRange(f, 0f, 0.99999995f));
        Assert.InRange(floats.Average(), 0.495, 0.505);
        var counts = new int[7];
        for (var i = 0; i < 70_000; i++)
        {
            counts[rng.NextInt(7)]++;
        }

        Assert.All(counts, n => Assert.InRange(n, 9_500, 10_500));
    }

    [Fact]
    public void Shuffle_is_a_seeded_permutation()
    {
        var a = Enumerable.Range(0, 1000).ToArray();
        var b = Enumerable.Range(0, 1000).ToArray();
        new Rng(5).Shuffle<int>(a);
        new Rng(5).Shuffle<int>(b);
        Assert.Equal(a, b);
        Assert.NotEqual(Enumerable.Range(0, 1000), a);
        Assert.Equal(Enumerable.Range(0, 1000), a.Order());
    }

    [Fact]
    public void Fills_do_not_depend_on_thread_count()
    {
        Tensor Fill(int threads, Action<Rng, Tensor> fill)
        {
            var t = new Tensor(1000, 37);
            EngineTestUtil.WithThreads(threads, () => fill(new Rng(3), t));
            return t;
        }

        foreach (Action<Rng, Tensor> fill in new Action<Rng, Tensor>[]
        {
            (r, t) => r.FillUniform(t, -1f, 1f),
            (r, t) => r.FillNormal(t, 0f, 1f),
            (r, t) => r.FillDropoutMask(t, 0.3f),
        })
        {
            Assert.Equal(Fill(1, fill).Data, Fill(2, fill).Data);
        }
    }

    [Theory]
    [InlineData(0.3f)]
    [InlineData(0.5f)]
    public void Dropout_mask_drops_about_p_and_scales_survivors(float p)
    {
        var mask = new Tensor(19445 + 7050, 64);
        new Rng(11).FillDropoutMask(mask, p);
        var dropped = mask.Data.Count(v => v == 0f) / (double)mask.Length;
        Assert.InRange(dropped, p - 0.005, p + 0.005);
        Assert.All(mask.Data.Where(v => v != 0f), v => Assert.Equal(1f / (1f - p), v));
    }

    [Fact]
    public void Bernoulli_mask_keeps_about_p_and_edges_are_exact()
    {
        var mask = new Tensor(500, 200);
        var rng = new Rng(12);
        rng.FillBernoulli(mask, 0.25f);
        Assert.InRange(mask.Data.Average(), 0.24, 0.26);
        rng.FillDropoutMask(mask, 1f);
        Assert.All(mask.Data, v => Assert.Equal(0f, v));
        rng.FillDropoutMask(mask, 0f);
        Assert.All(mask.Data, v => Assert.Equal(1f, v));
        Assert.Throws<ArgumentOutOfRangeException>(() => rng.FillDropoutMask(mask, 1.5f));
    }

    [Fact]
    public void Normal_fill_has_requested_mean_and_std()
    {
        var t = new Tensor(1000, 301);
        new Rng(13).FillNormal(t, 2f, 0.5f);
        var mean = t.Data.Average(v => (double)v);
        var std = Math.Sqrt(t.Data.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(mean, 1.995, 2.005);
        Assert.InRange(std, 0.495, 0.505);
        var rng = new Rng(14);
        var draws = Enumerable.Range(0, 50_000).Select(_ => (double)rng.Normal()).ToArray();
        Assert.InRange(draws.Average(), -0.02, 0.02);
    }
}
