// `multirec data features text`: item text TSV → text_feat.npy (all-MiniLM-L6-v2, 384-d, unit rows).
using System.CommandLine;
using MultiRec.Features.Extraction;
using MultiRec.Features.Text;

namespace MultiRec.Cli.Commands;

/// <summary>The `data features text` verb.</summary>
public static class FeaturesTextCommand
{
    public static Command Create()
    {
        var items = new Option<FileInfo>("--items") { Description = "Item text TSV with itemID and text (or title, brand, categories, description).", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "The .npy file to write, e.g. DIR/text_feat.npy.", Required = true };
        var itemCount = new Option<int?>("--item-count") { Description = "Rows to write (default: largest itemID + 1); absent items get the mean vector." };
        var batchSize = new Option<int>("--batch-size") { Description = "Texts per model call.", DefaultValueFactory = _ => new TextEncoderOptions().BatchSize };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime threads (default: all cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Truncation length, [CLS] and [SEP] included (2..512, the model's positions).", DefaultValueFactory = _ => MiniLmTokenizer.DefaultMaxTokens };
        var strict = new Option<bool>("--strict") { Description = "Fail on an item without text instead of using the mean vector." };
        var quiet = new Option<bool>("--quiet") { Description = "No progress bar." };
        var command = new Command("text", "Encode item text with all-MiniLM-L6-v2 (ONNX) into a unit-norm items x 384 float32 .npy.")
        {
            items, output, itemCount, batchSize, threads, maxTokens, strict, quiet,
        };
        command.SetAction(parse =>
        {
            var options = new TextFeatureOptions
            {
                ItemCount = parse.GetValue(itemCount),
                Strict = parse.GetValue(strict),
                Encoder = new TextEncoderOptions
                {
                    BatchSize = Positive(parse.GetValue(batchSize), "--batch-size"),
                    Threads = Positive(parse.GetValue(threads), "--threads"),
                    MaxTokens = parse.GetValue(maxTokens) is >= 2 and <= MiniLmTextEncoder.MaxPositions ? parse.GetValue(maxTokens) : throw new UsageException($"--max-tokens must be in 2..{MiniLmTextEncoder.MaxPositions} (the model has {MiniLmTextEncoder.MaxPositions} positions; longer texts are truncated), got {parse.GetValue(maxTokens)}"),
                },
            };
            var console = parse.InvocationConfiguration;
            var bar = ProgressBar.CreateFor(console.Error, "text", parse.GetValue(quiet));
            var report = TextFeatureExtractor.Run(parse.GetRequiredValue(items).FullName, parse.GetRequiredValue(output).FullName, options, bar is null ? null : bar.Report);
            FeatureReportPrinter.Print(report, console.Output, console.Error);
            return CliApp.Success;
        });
        return command;
    }

    internal static int Positive(int value, string option) =>
        value >= 1 ? value : throw new UsageException($"{option} must be at least 1");
}
