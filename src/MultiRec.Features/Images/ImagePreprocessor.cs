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

    /// <summary>The default pixel budget of one image (width x height from its header).</summary>
    public const long DefaultMaxPixels = 64_000_000;

    /// <summary>Decodes <paramref name="path"/> (any format Skia reads: JPEG, PNG, WebP, GIF, BMP …). The size is
    /// read from the header first and checked against <paramref name="maxPixels"/> before any pixel is allocated;
    /// a file whose data ends early (truncated) is refused rather than encoded half grey.</summary>
    /// <exception cref="InvalidDataException">The file is not a decodable image, is over the pixel budget or is truncated.</exception>
    public static float[] LoadRgbPlanes(string path, int resizeShorterSide = DefaultResizeShorterSide, long maxPixels = DefaultMaxPixels)
    {
        using var stream = File.OpenRead(path);
        using var codec = SKCodec.Create(stream, out var created)
            ?? throw new InvalidDataException($"not a decodable image (unknown format or corrupt data: {created})");
        var info = codec.Info;
        if (info.Width < 1 || info.Height < 1)
        {
            throw new InvalidDataException("the image has no pixels");
        }

        if ((long)info.Width * info.Height > maxPixels)
        {
            throw new InvalidDataException($"{info.Width} x {info.Height} pixels is over the budget of {maxPixels:N0} pixels per image");
        }

        // As SKBitmap.Decode does: premultiplied alpha, no colour space, the codec's colour type.
        var decodeInfo = info.WithAlphaType(info.AlphaType == SKAlphaType.Unpremul ? SKAlphaType.Premul : info.AlphaType).WithColorSpace(null);
        using var bitmap = new SKBitmap(decodeInfo);
        var result = codec.GetPixels(decodeInfo, bitmap.GetPixels());
        if (result == SKCodecResult.IncompleteInput)
        {
            throw new InvalidDataException("truncated image (the data ends before the last row)");
        }

        if (result != SKCodecResult.Success)
        {
            throw new InvalidDataException($"not a decodable image ({result})");
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
