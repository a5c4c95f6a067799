// Decodes an image with SkiaSharp and turns it into the 3×224×224 RGB planes (0–255) that ResNet18 takes.
using SkiaSharp;

namespace MultiRec.Features.Images;

/// <summary>
/// Image decoding and geometry: scale so the shorter side is <c>resizeShorterSide</c> pixels
/// (256 by default, the usual ImageNet evaluation transform), cut the centred 224×224 square, and
/// return it as planar R, G, B floats in 0–255. Transparent pixels are composited onto white.
/// EXIF orientation is not applied (as PIL, used by most Python pipelines, does not by default).
/// </summary>
public static class ImagePreprocessor
{
    /// <summary>Side of the square the network sees.</summary>
    public const int InputSize = 224;

    /// <summary>The default shorter-side length before the centre crop.</summary>
    public const int DefaultResizeShorterSide = 256;

    /// <summary>Decodes <paramref name="path"/> (any format Skia reads: JPEG, PNG, WebP, GIF, BMP …).</summary>
    /// <exception cref="InvalidDataException">The file is not a decodable image.</exception>
    public static float[] LoadRgbPlanes(string path, int resizeShorterSide = DefaultResizeShorterSide)
    {
        using var bitmap = SKBitmap.Decode(path)
            ?? throw new InvalidDataException("not a decodable image (unknown format or corrupt data)");
        if (bitmap.Width < 1 || bitmap.Height < 1)
        {
            throw new InvalidDataException("the image has no pixels");
        }

        return ToRgbPlanes(bitmap, resizeShorterSide);
    }

    /// <summary>Scales, centre-crops and converts a decoded bitmap; see the class summary.</summary>
    public static float[] ToRgbPlanes(SKBitmap source, int resizeShorterSide = DefaultResizeShorterSide)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(resizeShorterSide, InputSize);
        var scale = (double)resizeShorterSide / Math.Min(source.Width, source.Height);
        var cropInSource = InputSize / scale;
        var left = (source.Width - cropInSource) / 2;
        var top = (source.Height - cropInSource) / 2;
        var sourceRect = new SKRect((float)left, (float)top, (float)(left + cropInSource), (float)(top + cropInSource));

        using var target = new SKBitmap(new SKImageInfo(InputSize, InputSize, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using (var canvas = new SKCanvas(target))
        using (var image = SKImage.FromBitmap(source))
        {
            canvas.Clear(SKColors.White);
            var sampling = scale < 1
                ? new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear)
                : new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None);
            canvas.DrawImage(image, sourceRect, new SKRect(0, 0, InputSize, InputSize), sampling);
        }

        var pixels = target.GetPixelSpan();
        const int plane = InputSize * InputSize;
        var planes = new float[3 * plane];
        for (var i = 0; i < plane; i++)
        {
            planes[i] = pixels[4 * i];
            planes[plane + i] = pixels[(4 * i) + 1];
            planes[(2 * plane) + i] = pixels[(4 * i) + 2];
        }

        return planes;
    }
}
