// Features sample: a few product titles -> 384-d MiniLM text features, each title's nearest neighbour by cosine;
// two synthetic pictures -> 512-d ResNet18 image features. Uses only the MultiRec.Features package.
using MultiRec.Features.Images;
using MultiRec.Features.Text;

string[] titles =
[
    "Wireless Bluetooth headphones with 30 hours of battery",
    "Noise cancelling over-ear headphones",
    "Stainless steel chef's knife, 8 inch",
    "Kitchen knife set with wooden block",
    "Organic green tea, 100 bags",
    "Loose leaf Earl Grey black tea",
    "Waterproof hiking boots for men",
    "Lightweight trail running shoes",
];

using (var text = new MiniLmTextEncoder(new TextEncoderOptions { Threads = 2 }))
{
    var features = text.Encode(titles);
    var dim = MiniLmTextEncoder.Dimension;
    Console.WriteLine($"text: {titles.Length} items x {dim} (all-MiniLM-L6-v2), |row 0| = {Norm(features.AsSpan(0, dim)):F4}");
    for (var i = 0; i < titles.Length; i++)
    {
        var best = -1;
        var bestCosine = float.NegativeInfinity;
        for (var j = 0; j < titles.Length; j++)
        {
            var cosine = Dot(features.AsSpan(i * dim, dim), features.AsSpan(j * dim, dim));
            if (j != i && cosine > bestCosine)
            {
                (best, bestCosine) = (j, cosine);
            }
        }

        Console.WriteLine($"nearest to \"{titles[i]}\": \"{titles[best]}\" (cosine {bestCosine:F3})");
    }
}

using (var image = new ResNet18ImageEncoder(new ImageEncoderOptions { Threads = 2 }))
{
    var red = image.EncodeRgbPlanes(Picture(220, 30, 30));
    var darkRed = image.EncodeRgbPlanes(Picture(170, 20, 25));
    var blue = image.EncodeRgbPlanes(Picture(30, 40, 210));
    Console.WriteLine($"image: {red.Length}-d ResNet18 features; cosine(red, dark red) = {Cosine(red, darkRed):F3}, cosine(red, blue) = {Cosine(red, blue):F3}");
}

// A 224x224 picture in RGB planes (0-255): a vertical gradient from the colour to black with a light square.
static float[] Picture(int r, int g, int b)
{
    const int size = 224;
    var planes = new float[3 * size * size];
    int[] colour = [r, g, b];
    for (var c = 0; c < 3; c++)
    {
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var inSquare = x is >= 80 and < 144 && y is >= 80 and < 144;
                planes[(c * size * size) + (y * size) + x] = inSquare ? 240f : colour[c] * (1f - (y / (2f * size)));
            }
        }
    }

    return planes;
}

static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
{
    var sum = 0f;
    for (var i = 0; i < a.Length; i++)
    {
        sum += a[i] * b[i];
    }

    return sum;
}

static float Norm(ReadOnlySpan<float> a) => MathF.Sqrt(Dot(a, a));

static float Cosine(float[] a, float[] b) => Dot(a, b) / (Norm(a) * Norm(b));
