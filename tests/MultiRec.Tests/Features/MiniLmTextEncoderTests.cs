// The MiniLM encoder against vectors computed independently in float64 (fixtures/features/README.md).
using System.Numerics.Tensors;
using System.Text.Json;
using MultiRec.Features.Text;

namespace MultiRec.Tests.Features;

public class MiniLmTextEncoderTests
{
    private static readonly (string Text, int[] Ids, float[] Vector)[] Expected = LoadExpected();

    [Fact]
    public void Token_ids_match_the_fixture()
    {
        foreach (var (text, ids, _) in Expected)
        {
            Assert.Equal(ids, FeatureTestModels.Tokenizer.Encode(text));
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(1)]
    public void Embeddings_match_the_float64_reference_with_and_without_padding(int batchSize)
    {
        using var encoder = new MiniLmTextEncoder(new TextEncoderOptions { BatchSize = batchSize, Threads = 1 });
        var vectors = encoder.Encode(Expected.Select(entry => entry.Text).ToList());

        Assert.Equal(Expected.Length * MiniLmTextEncoder.Dimension, vectors.Length);
        for (var i = 0; i < Expected.Length; i++)
        {
            var actual = vectors.AsSpan(i * MiniLmTextEncoder.Dimension, MiniLmTextEncoder.Dimension);
            var reference = Expected[i].Vector;
            for (var j = 0; j < reference.Length; j++)
            {
                Assert.True(Math.Abs(actual[j] - reference[j]) < 2e-5f, $"sentence {i}, dim {j}: {actual[j]} vs {reference[j]}");
            }

            Assert.Equal(1f, TensorPrimitives.Norm(actual), 1e-5f);
        }
    }

    private static (string, int[], float[])[] LoadExpected()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.Fixtures, "features", "minilm_expected.json")));
        return json.RootElement.GetProperty("sentences").EnumerateArray()
            .Select(s => (
                s.GetProperty("text").GetString()!,
                s.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                s.GetProperty("vector").EnumerateArray().Select(e => e.GetSingle()).ToArray()))
            .ToArray();
    }
}
