// The text normalisation and pre-tokenisation of HuggingFace's BERT tokenizer (uncased), re-implemented so
// that token ids match the reference exactly under .NET's invariant-globalization mode.
using System.Globalization;
using System.Text;

namespace MultiRec.Features.Text;

/// <summary>
/// Turns raw text into the space-separated words that BERT's WordPiece model sees, following
/// HuggingFace tokenizers' <c>BertNormalizer</c> (clean text, pad CJK ideographs, strip accents,
/// lower-case) and <c>BertPreTokenizer</c> (split on whitespace, isolate punctuation).
/// </summary>
public static class BertTextNormalizer
{
    private const int HangulSyllableFirst = 0xAC00;
    private const int HangulSyllableLast = 0xD7A3;

    /// <summary>
    /// Normalises <paramref name="text"/> and returns its words (punctuation marks are words of
    /// their own), in order. Empty when the text has no tokens.
    /// </summary>
    public static List<string> PreTokenize(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        void Flush()
        {
            if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }

        var expanded = new List<int>(4);
        foreach (var rune in text.EnumerateRunes())
        {
            var cp = rune.Value;
            if (cp < 0x80)
            {
                // ASCII fast path, same rules. Control characters are removed before whitespace is
                // mapped, so \v and \f vanish rather than split words.
                if (cp is ' ' or '\t' or '\n' or '\r')
                {
                    Flush();
                }
                else if (cp < 0x20 || cp == 0x7F)
                {
                    // a control character: removed
                }
                else if (IsPunctuation(cp))
                {
                    Flush();
                    words.Add(((char)cp).ToString());
                }
                else
                {
                    current.Append(cp is >= 'A' and <= 'Z' ? (char)(cp + 32) : (char)cp);
                }

                continue;
            }

            // Clean text: NUL, U+FFFD and "other" characters are removed, whitespace splits words.
            if (cp == 0xFFFD || IsControl(cp))
            {
                continue;
            }

            if (IsWhitespace(cp))
            {
                Flush();
                continue;
            }

            // A CJK ideograph is padded with spaces, so it becomes a word of its own.
            var isolated = IsCjkIdeograph(cp);
            if (isolated)
            {
                Flush();
            }

            expanded.Clear();
            AppendStrippedAndLowered(cp, expanded);
            foreach (var piece in expanded)
            {
                if (IsPunctuation(piece))
                {
                    Flush();
                    words.Add(char.ConvertFromUtf32(piece));
                }
                else
                {
                    current.Append(char.ConvertFromUtf32(piece));
                }
            }

            if (isolated)
            {
                Flush();
            }
        }

        Flush();
        return words;
    }

    /// <summary>Rust's <c>char::is_whitespace</c> plus tab/newline/carriage return, as BertNormalizer uses it.</summary>
    public static bool IsWhitespace(int cp) => cp switch
    {
        >= 0x09 and <= 0x0D => true,
        0x20 or 0x85 or 0xA0 or 0x1680 or 0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000 => true,
        >= 0x2000 and <= 0x200A => true,
        _ => false,
    };

    /// <summary>Unicode "Other" (Cc, Cf, Cs, Co, Cn) except tab, newline and carriage return: removed by clean-text.</summary>
    public static bool IsControl(int cp)
    {
        if (cp is '\t' or '\n' or '\r')
        {
            return false;
        }

        return CharUnicodeInfo.GetUnicodeCategory(cp) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;
    }

    /// <summary>ASCII punctuation (including symbols such as $ + &lt; = &gt; ^ ` | ~) or a Unicode P* category.</summary>
    public static bool IsPunctuation(int cp)
    {
        if (cp is (>= 33 and <= 47) or (>= 58 and <= 64) or (>= 91 and <= 96) or (>= 123 and <= 126))
        {
            return true;
        }

        return CharUnicodeInfo.GetUnicodeCategory(cp) is UnicodeCategory.ConnectorPunctuation
            or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
            or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
            or UnicodeCategory.OtherPunctuation;
    }

    /// <summary>The CJK Unified Ideographs blocks that BERT surrounds with spaces.</summary>
    public static bool IsCjkIdeograph(int cp) => cp is (>= 0x4E00 and <= 0x9FFF)
        or (>= 0x3400 and <= 0x4DBF)
        or (>= 0x20000 and <= 0x2A6DF)
        or (>= 0x2A700 and <= 0x2B73F)
        or (>= 0x2B740 and <= 0x2B81F)
        or (>= 0x2B820 and <= 0x2CEAF)
        or (>= 0xF900 and <= 0xFAFF)
        or (>= 0x2F800 and <= 0x2FA1F);

    /// <summary>
    /// Canonical decomposition (NFD) with non-spacing marks removed (Hangul syllables become jamo),
    /// then the lower-case mapping of each remaining code point, appended to <paramref name="output"/>.
    /// </summary>
    private static void AppendStrippedAndLowered(int cp, List<int> output)
    {
        if (cp is >= HangulSyllableFirst and <= HangulSyllableLast)
        {
            AppendHangulJamo(cp, output);
            return;
        }

        if (IsRemovedMark(cp))
        {
            return;
        }

        var mapped = AccentStrippingTable.MappedCodePoints;
        var index = mapped.BinarySearch(cp);
        if (index < 0)
        {
            AppendLowerCase(cp, output);
            return;
        }

        var offsets = AccentStrippingTable.ReplacementOffsets;
        var replacement = AccentStrippingTable.Replacements.AsSpan(offsets[index], offsets[index + 1] - offsets[index]);
        foreach (var rune in replacement.EnumerateRunes())
        {
            AppendLowerCase(rune.Value, output);
        }
    }

    private static bool IsRemovedMark(int cp)
    {
        var ranges = AccentStrippingTable.RemovedRanges;
        int lo = 0, hi = (ranges.Length / 2) - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (cp < ranges[2 * mid])
            {
                hi = mid - 1;
            }
            else if (cp > ranges[(2 * mid) + 1])
            {
                lo = mid + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    private static void AppendHangulJamo(int cp, List<int> output)
    {
        const int leadBase = 0x1100, vowelBase = 0x1161, trailBase = 0x11A7, vowelCount = 21, trailCount = 28;
        var index = cp - HangulSyllableFirst;
        output.Add(leadBase + (index / (vowelCount * trailCount)));
        output.Add(vowelBase + (index % (vowelCount * trailCount) / trailCount));
        var trail = trailBase + (index % trailCount);
        if (trail != trailBase)
        {
            output.Add(trail);
        }
    }

    /// <summary>Unicode lower-case mapping; İ (U+0130) lower-cases to i + combining dot as in Rust.</summary>
    private static void AppendLowerCase(int cp, List<int> output)
    {
        if (cp == 0x130)
        {
            output.Add(0x69);
            output.Add(0x307);
            return;
        }

        output.Add(Rune.ToLowerInvariant(new Rune(cp)).Value);
    }
}
