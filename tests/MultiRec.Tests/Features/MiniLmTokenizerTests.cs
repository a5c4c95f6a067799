// The C# tokenizer against token sequences produced by HuggingFace tokenizers, on the characters where
// Microsoft.ML.Tokenizers' BertTokenizer alone (or a port using .NET's Unicode data) disagreed with it.
namespace MultiRec.Tests.Features;

public class MiniLmTokenizerTests
{
    // Every expected string below is the output of HuggingFace tokenizers 0.23.2 (npm) for the model's
    // tokenizer.json, rebuilt as in tools/tokenizer-check/check.mjs.
    [Theory]
    // ASCII symbols are punctuation to the reference (BertTokenizer alone dropped them).
    [InlineData("a+b|c~d$e^f", "a + b | c ~ d $ e ^ f")]
    // Non-ASCII symbols stay inside words (BertTokenizer alone dropped them).
    [InlineData("200°C ±0.03mm ½\" 3×4 Urbest® Foo™", "200 ##° ##c ± ##0 . 03 ##mm ½ \" 3 ##× ##4 ur ##bes ##t ##® foo ##™")]
    // Accents are stripped (NFD is unavailable under invariant globalization; BertTokenizer gave [UNK]).
    [InlineData("Café naïve Über", "cafe naive uber")]
    [InlineData("İstanbul ΌΣΟΣ", "istanbul ο ##σ ##ο ##σ")]
    // Hangul syllables are decomposed into jamo.
    [InlineData("한국", "ᄒ ##ᅡ ##ᆫ ##ᄀ ##ᅮ ##ᆨ")]
    // CJK ideographs are words of their own.
    [InlineData("中文x", "中 文 x")]
    // Unassigned code points are kept (a port using .NET's Unicode data deleted them).
    [InlineData("ab\u0378cd", "[UNK]")]
    // Punctuation newer than the reference's Unicode tables is not split.
    [InlineData("a\u2E55b", "[UNK]")]
    // U+2B820–U+2B91F is not treated as CJK (the reference's range typo); U+2B81F is.
    [InlineData("\U0002B81F\U0002B820x a\U0002B81Fb", "[UNK] [UNK] a [UNK] b")]
    // Control characters vanish (\v, \f, U+0085, U+200B join their neighbours); \t, \n, U+00A0 separate words.
    [InlineData("a\vb a\fb a\tb a\nb a\u00A0b a\u200Bb a\u0085b", "ab ab a b a b a b ab ab")]
    // Special tokens are recognised in raw text.
    [InlineData("[CLS]hi[SEP]", "[CLS] hi [SEP]")]
    public void Matches_the_reference_tokenizer(string text, string expected)
    {
        Assert.Equal(expected, FeatureTestModels.Pieces(text));
    }

    [Fact]
    public void Words_longer_than_100_characters_become_unknown()
    {
        var pieces = FeatureTestModels.Pieces(new string('x', 100) + " " + new string('x', 101)).Split(' ');

        Assert.Equal(51, pieces.Length);
        Assert.Equal("xx", pieces[0]);
        Assert.All(pieces[1..50], piece => Assert.Equal("##xx", piece));
        Assert.Equal("[UNK]", pieces[50]);
    }

    [Fact]
    public void Encode_adds_cls_and_sep_and_truncates_to_256_ids()
    {
        var tokenizer = FeatureTestModels.Tokenizer;
        var ids = tokenizer.Encode(string.Join(' ', Enumerable.Repeat("word", 400)));

        Assert.Equal(256, ids.Length);
        Assert.Equal(tokenizer.ClsId, ids[0]);
        Assert.Equal(tokenizer.SepId, ids[^1]);
        Assert.Equal(402, tokenizer.Encode(string.Join(' ', Enumerable.Repeat("word", 400)), int.MaxValue).Length);
    }

    [Fact]
    public void Empty_text_is_just_cls_and_sep()
    {
        var tokenizer = FeatureTestModels.Tokenizer;

        Assert.Equal([tokenizer.ClsId, tokenizer.SepId], tokenizer.Encode(" \u200B\t"));
    }
}
