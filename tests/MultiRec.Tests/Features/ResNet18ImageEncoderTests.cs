// The ResNet18 encoder against features computed independently in float64 (fixtures/features/README.md).
using System.Text.Json;
using MultiRec.Features.Images;

namespace MultiRec.Tests.Features;

public class ResNet18ImageEncoderTests
{
    [Fact]
    public void Pooled_features_match_the_float64_reference()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.Fixtures, "features", "resnet18_expected.json")));
        var expected = json.RootElement.GetProperty("vector").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        const int size = ImagePreprocessor.InputSize;
        var planes = new float[3 * size * size];
        for (var c = 0; c < 3; c++)
        {
            for (var y = 0; y < size; y++)
            {
                for (var x = 0; x < size; x++)
                {
                    planes[(((c * size) + y) * size) + x] = ((x * 7) + (y * 13) + (c * 50) + (x * y % 31)) % 256;
                }
            }
        }

        using var encoder = new ResNet18ImageEncoder(new ImageEncoderOptions { Threads = 2 });
        var actual = encoder.EncodeRgbPlanes(planes);

        Assert.Equal(ResNet18ImageEncoder.Dimension, actual.Length);
        for (var j = 0; j < expected.Length; j++)
        {
            Assert.True(Math.Abs(actual[j] - expected[j]) < 1e-4f + (1e-5f * expected[j]), $"dim {j}: {actual[j]} vs {expected[j]}");
        }
    }

    [Fact]
    public void Planes_of_the_wrong_size_are_rejected()
    {
        using var encoder = new ResNet18ImageEncoder(new ImageEncoderOptions { Threads = 1 });

        Assert.Throws<ArgumentException>(() => encoder.EncodeRgbPlanes(new float[100]));
    }
}
