// Shared, lazily loaded model objects for the feature tests (loading the MiniLM graph takes about a second).
using MultiRec.Features.Text;

namespace MultiRec.Tests.Features;

/// <summary>One tokenizer and its vocabulary for all tests.</summary>
internal static class FeatureTestModels
{
    private static readonly Lazy<MiniLmTokenizer> LazyTokenizer = new(() => MiniLmTokenizer.Load());

    private static readonly Lazy<string[]> LazyVocabulary = new(() =>
        System.Text.Encoding.UTF8.GetString(MiniLmTokenizer.ReadVocabulary())
            .Split('\n')
            .Select(line => line.TrimEnd('\r'))
            .ToArray());

    public static MiniLmTokenizer Tokenizer => LazyTokenizer.Value;

    /// <summary>The word pieces of <paramref name="text"/>, without [CLS] and [SEP], joined by spaces.</summary>
    public static string Pieces(string text)
    {
        var ids = Tokenizer.Encode(text, int.MaxValue);
        return string.Join(' ', ids[1..^1].Select(id => LazyVocabulary.Value[id]));
    }
}
