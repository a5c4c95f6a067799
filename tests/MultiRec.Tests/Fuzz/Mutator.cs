// Seeded byte-level mutations of a valid input: flips, interesting bytes, numbers, splices, truncation.
using System.Text;

namespace MultiRec.Tests.Fuzz;

/// <summary>Deterministic mutation of seed inputs: the same (seed, case) always gives the same bytes.</summary>
internal static class Mutator
{
    private static readonly byte[] Interesting = "\0\t\n\r ,;:\"'[]{}-+.#eE0129\\/\u007f"u8.ToArray();

    private static readonly string[] Numbers =
    [
        "-1", "0", "-0", "2147483647", "2147483648", "-2147483649", "9223372036854775808", "99999999999999999999999",
        "1e309", "-1e309", "NaN", "nan", "inf", ".inf", "Infinity", "1.5", "0x10", "1_000", "00000000000000000000001",
    ];

    /// <summary>One to four mutations of <paramref name="input"/>, chosen by <paramref name="random"/>.</summary>
    public static byte[] Mutate(byte[] input, Random random)
    {
        var bytes = new List<byte>(input);
        var rounds = 1 + random.Next(4);
        for (var r = 0; r < rounds; r++)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(10))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 2:
                    bytes.Insert(at, Interesting[random.Next(Interesting.Length)]);
                    break;
                case 3 when bytes.Count > 0:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(16)));
                    break;
                case 4 when bytes.Count > 0:
                    // Duplicate a slice (repeated lines, keys, tensors).
                    var len = Math.Min(bytes.Count - at, 1 + random.Next(64));
                    bytes.InsertRange(random.Next(bytes.Count + 1), bytes.GetRange(at, len));
                    break;
                case 5:
                    ReplaceNumber(bytes, random);
                    break;
                case 6 when bytes.Count > 0:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 7:
                    bytes.InsertRange(at, Enumerable.Range(0, 1 + random.Next(8)).Select(_ => (byte)random.Next(256)));
                    break;
                case 8 when bytes.Count > 0:
                    // A long run of one byte (long ids, long lines).
                    bytes.InsertRange(at, Enumerable.Repeat(bytes[at], 1 + random.Next(2000)));
                    break;
                default:
                    ReplaceNumber(bytes, random);
                    break;
            }
        }

        return [.. bytes];
    }

    /// <summary>Replaces one run of digits with a boundary number (overflow, negative, non-finite, odd syntax).</summary>
    private static void ReplaceNumber(List<byte> bytes, Random random)
    {
        var digits = new List<int>();
        for (var i = 0; i < bytes.Count; i++)
        {
            if (bytes[i] is >= (byte)'0' and <= (byte)'9' && (i == 0 || bytes[i - 1] is < (byte)'0' or > (byte)'9'))
            {
                digits.Add(i);
            }
        }

        var replacement = Encoding.ASCII.GetBytes(Numbers[random.Next(Numbers.Length)]);
        if (digits.Count == 0)
        {
            bytes.InsertRange(random.Next(bytes.Count + 1), replacement);
            return;
        }

        var start = digits[random.Next(digits.Count)];
        var end = start;
        while (end < bytes.Count && bytes[end] is >= (byte)'0' and <= (byte)'9')
        {
            end++;
        }

        bytes.RemoveRange(start, end - start);
        bytes.InsertRange(start, replacement);
    }
}
