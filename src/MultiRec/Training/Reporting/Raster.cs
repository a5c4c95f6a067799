// A small RGB canvas with lines, rectangles and a 5x7 bitmap font, enough to draw labelled line charts.
namespace MultiRec.Training.Reporting;

/// <summary>An RGB raster for simple charts.</summary>
public sealed class Raster
{
    // 5x7 glyphs, one string of 7 rows of 5 bits ('#' = ink) per character.
    private static readonly Dictionary<char, string> Glyphs = new()
    {
        ['0'] = ".###.#...##..###.#.###..##...#.###.",
        ['1'] = "..#...##....#....#....#....#...###.",
        ['2'] = ".###.#...#....#...#...#...#...#####",
        ['3'] = "####.....#...#...##.....##...#.###.",
        ['4'] = "...#...##..#.#.#..#.#####...#....#.",
        ['5'] = "######....####.....#....##...#.###.",
        ['6'] = "..##..#...#....####.#...##...#.###.",
        ['7'] = "#####....#...#...#...#....#....#...",
        ['8'] = ".###.#...##...#.###.#...##...#.###.",
        ['9'] = ".###.#...##...#.####....#...#..##..",
        ['.'] = "..............................##...",
        ['-'] = "...............###.................",
        ['@'] = ".###.#...##.####.#.##.####.....####",
        [' '] = "...................................",
        ['A'] = ".###.#...##...#######...##...##...#",
        ['C'] = ".###.#...##....#....#....#...#.###.",
        ['D'] = "####.#...##...##...##...##...#####.",
        ['E'] = "######....#....####.#....#....#####",
        ['G'] = ".###.#...##....#.####...##...#.####",
        ['H'] = "#...##...##...#######...##...##...#",
        ['I'] = ".###...#....#....#....#....#...###.",
        ['K'] = "#...##..#.#.#..##...#.#..#..#.#...#",
        ['L'] = "#....#....#....#....#....#....#####",
        ['M'] = "#...###.###.#.##.#.##...##...##...#",
        ['N'] = "#...###..##.#.##..###...##...##...#",
        ['O'] = ".###.#...##...##...##...##...#.###.",
        ['P'] = "####.#...##...#####.#....#....#....",
        ['R'] = "####.#...##...#####.#.#..#..#.#...#",
        ['S'] = ".####.....#.....###.....#....#####.",
        ['T'] = "#####..#....#....#....#....#....#..",
        ['U'] = "#...##...##...##...##...##...#.###.",
        ['V'] = "#...##...##...##...##...#.#.#...#..",
        ['X'] = "#...##...#.#.#...#...#.#.#...##...#",
    };

    private readonly byte[] _rgb;

    public Raster(int width, int height)
    {
        Width = width;
        Height = height;
        _rgb = new byte[width * height * 3];
        Array.Fill(_rgb, (byte)255);
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Sets one pixel (clipped).</summary>
    public void Set(int x, int y, (byte R, byte G, byte B) c)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
        {
            return;
        }

        var i = ((y * Width) + x) * 3;
        (_rgb[i], _rgb[i + 1], _rgb[i + 2]) = c;
    }

    /// <summary>A line with Bresenham's algorithm, thickness in pixels.</summary>
    public void Line(int x0, int y0, int x1, int y1, (byte, byte, byte) c, int thickness = 1)
    {
        int dx = Math.Abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
        int dy = -Math.Abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
        var err = dx + dy;
        while (true)
        {
            for (var t = 0; t < thickness; t++)
            {
                Set(x0, y0 + t, c);
                Set(x0 + t, y0, c);
            }

            if (x0 == x1 && y0 == y1)
            {
                break;
            }

            var e2 = 2 * err;
            if (e2 >= dy)
            {
                err += dy;
                x0 += sx;
            }

            if (e2 <= dx)
            {
                err += dx;
                y0 += sy;
            }
        }
    }

    /// <summary>Text in the 5x7 font (upper-cased; unknown characters are skipped), scaled by an integer factor.</summary>
    public void Text(int x, int y, string text, (byte, byte, byte) c, int scale = 1)
    {
        foreach (var ch in text.ToUpperInvariant())
        {
            if (Glyphs.TryGetValue(ch, out var g))
            {
                for (var row = 0; row < 7; row++)
                {
                    for (var col = 0; col < 5; col++)
                    {
                        if ((row * 5) + col < g.Length && g[(row * 5) + col] == '#')
                        {
                            for (var sy = 0; sy < scale; sy++)
                            {
                                for (var sx = 0; sx < scale; sx++)
                                {
                                    Set(x + (col * scale) + sx, y + (row * scale) + sy, c);
                                }
                            }
                        }
                    }
                }
            }

            x += 6 * scale;
        }
    }

    /// <summary>Width in pixels of a text at a scale.</summary>
    public static int TextWidth(string text, int scale = 1) => text.Length * 6 * scale;

    /// <summary>Encodes as PNG.</summary>
    public byte[] ToPng() => PngWriter.Encode(Width, Height, _rgb);
}
