// Image geometry and pixel layout: shorter side to 256, centre 224 crop, planar RGB 0–255, alpha on white.
using MultiRec.Features.Images;
using SkiaSharp;

namespace MultiRec.Tests.Features;

public class ImagePreprocessorTests
{
    private const int Size = ImagePreprocessor.InputSize;

    [Fact]
    public void A_256_square_is_cropped_to_its_centre_pixel_for_pixel()
    {
        using var bitmap = ImageTestImages.Pattern(256, 256, seed: 1);

        var planes = ImagePreprocessor.ToRgbPlanes(bitmap);

        Assert.Equal(3 * Size * Size, planes.Length);
        foreach (var (x, y) in new[] { (0, 0), (223, 0), (17, 101), (223, 223), (112, 112) })
        {
            var pixel = bitmap.GetPixel(x + 16, y + 16);
            Assert.Equal(pixel.Red, planes[(y * Size) + x]);
            Assert.Equal(pixel.Green, planes[(Size * Size) + (y * Size) + x]);
            Assert.Equal(pixel.Blue, planes[(2 * Size * Size) + (y * Size) + x]);
        }
    }

    [Fact]
    public void A_wide_image_keeps_its_middle_columns()
    {
        // 1024×512: scaled by 0.5 to 512×256; the centre 224 square covers source x 288..735, y 32..479.
        using var bitmap = new SKBitmap(new SKImageInfo(1024, 512, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Red);
            using var blue = new SKPaint { Color = SKColors.Blue };
            canvas.DrawRect(288, 0, 448, 512, blue);
        }

        var planes = ImagePreprocessor.ToRgbPlanes(bitmap);

        // Everything visible is blue: the red margins were cut away (edges may blend by one pixel).
        for (var x = 2; x < Size - 2; x++)
        {
            Assert.Equal(0f, planes[(100 * Size) + x]);
            Assert.Equal(255f, planes[(2 * Size * Size) + (100 * Size) + x]);
        }
    }

    [Fact]
    public void Transparent_pixels_become_white()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(300, 300, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        bitmap.Erase(SKColors.Transparent);

        var planes = ImagePreprocessor.ToRgbPlanes(bitmap);

        Assert.All(planes, value => Assert.Equal(255f, value));
    }

    [Fact]
    public void A_file_that_is_not_an_image_is_rejected()
    {
        using var dir = TestPaths.NewTempDir();
        var path = dir.File("broken.jpg");
        File.WriteAllBytes(path, [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5]);

        var error = Assert.Throws<InvalidDataException>(() => ImagePreprocessor.LoadRgbPlanes(path));

        Assert.Contains("not a decodable image", error.Message);
    }
}
