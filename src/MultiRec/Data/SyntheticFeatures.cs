// Item features of a synthetic catalog: noisy nonlinear functions of the latent item factors, made row by row
// (each row from its own seeded stream) so they can be streamed to disk in blocks and computed in parallel.
namespace MultiRec.Data;

/// <summary>Image rows are ReLU(A·v + b + noise): non-negative and sparse-ish like CNN activations. Text rows are
/// tanh(B·v + noise) scaled to unit L2 norm like sentence embeddings. A, b and B are drawn from the seed.</summary>
internal sealed class SyntheticFeatures
{
    private const ulong ImageProjectionStream = 20, TextProjectionStream = 21, ImageNoiseStream = 22, TextNoiseStream = 23;

    private readonly SyntheticCatalogOptions _options;
    private readonly SyntheticLatents _latents;
    private readonly float[] _imageProjection;
    private readonly float[] _imageBias;
    private readonly float[] _textProjection;

    public SyntheticFeatures(SyntheticCatalogOptions options, SyntheticLatents latents)
    {
        _options = options;
        _latents = latents;
        var scale = 1.0 / Math.Sqrt(options.LatentDim);
        var random = SeededRandom.ForStream(options.Seed, 0, ImageProjectionStream);
        _imageProjection = Draw(random, options.ImageDim * options.LatentDim, 0, scale);
        _imageBias = Draw(random, options.ImageDim, -0.25, 0.25);
        _textProjection = Draw(SeededRandom.ForStream(options.Seed, 0, TextProjectionStream), options.TextDim * options.LatentDim, 0, scale);
    }

    /// <summary>Writes image rows for items [firstItem, firstItem + count) into buffer (count × ImageDim).</summary>
    public void FillImageRows(int firstItem, int count, float[] buffer) =>
        Parallel.For(0, count, r => ImageRow(firstItem + r, buffer.AsSpan(r * _options.ImageDim, _options.ImageDim)));

    /// <summary>Writes text rows for items [firstItem, firstItem + count) into buffer (count × TextDim).</summary>
    public void FillTextRows(int firstItem, int count, float[] buffer) =>
        Parallel.For(0, count, r => TextRow(firstItem + r, buffer.AsSpan(r * _options.TextDim, _options.TextDim)));

    private void ImageRow(int item, Span<float> row)
    {
        var random = SeededRandom.ForStream(_options.Seed, item, ImageNoiseStream);
        var factor = _latents.Item(item);
        for (var d = 0; d < row.Length; d++)
        {
            var h = _imageBias[d] + Project(_imageProjection, d, factor) + (_options.FeatureNoise * random.NextGaussian());
            row[d] = (float)Math.Max(0.0, h);
        }
    }

    private void TextRow(int item, Span<float> row)
    {
        var random = SeededRandom.ForStream(_options.Seed, item, TextNoiseStream);
        var factor = _latents.Item(item);
        var norm = 0.0;
        for (var d = 0; d < row.Length; d++)
        {
            var h = Math.Tanh(Project(_textProjection, d, factor) + (_options.FeatureNoise * random.NextGaussian()));
            row[d] = (float)h;
            norm += h * h;
        }

        if (norm == 0)
        {
            row[0] = 1f; // A zero row cannot be normalised; give it a unit vector instead.
            return;
        }

        var inverse = (float)(1.0 / Math.Sqrt(norm));
        for (var d = 0; d < row.Length; d++)
        {
            row[d] *= inverse;
        }
    }

    private static double Project(float[] projection, int output, ReadOnlySpan<float> factor)
    {
        var weights = projection.AsSpan(output * factor.Length, factor.Length);
        var sum = 0.0;
        for (var l = 0; l < factor.Length; l++)
        {
            sum += weights[l] * factor[l];
        }

        return sum;
    }

    private static float[] Draw(SeededRandom random, int count, double mean, double std)
    {
        var values = new float[count];
        for (var n = 0; n < count; n++)
        {
            values[n] = (float)(mean + (std * random.NextGaussian()));
        }

        return values;
    }
}
