// `multirec data features tokens`: writes each item's MiniLM token ids as JSON lines (tokenizer check).
using System.CommandLine;
using MultiRec.Features.Text;

namespace MultiRec.Cli.Commands;

/// <summary>The `data features tokens` verb, a diagnostic used by tools/tokenizer-check.</summary>
public static class FeaturesTokensCommand
{
    public static Command Create()
    {
        var items = new Option<FileInfo>("--items") { Description = "Item text TSV (itemID + text, or title/brand/categories/description).", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "JSON lines to write: itemID, line, text, ids (≤256), all (untruncated).", Required = true };
        var vocabularyOut = new Option<FileInfo?>("--vocab-out") { Description = "Also write the WordPiece vocabulary (one token per line) here." };
        var command = new Command("tokens", "Dump the MiniLM token ids of every item (for checking against HuggingFace tokenizers).")
        {
            items, output, vocabularyOut,
        };
        command.SetAction(parse =>
        {
            var rows = ItemTextFile.Read(parse.GetRequiredValue(items).FullName);
            var tokenizer = MiniLmTokenizer.Load();
            var count = TokenDump.Write(rows, tokenizer, parse.GetRequiredValue(output).FullName);
            if (parse.GetValue(vocabularyOut) is { } vocabularyFile)
            {
                TokenDump.WriteVocabulary(MiniLmTokenizer.ReadVocabulary(), vocabularyFile.FullName);
            }

            parse.InvocationConfiguration.Output.WriteLine($"wrote token ids of {count} items to {parse.GetRequiredValue(output).FullName}");
            return CliApp.Success;
        });
        return command;
    }
}
