// `multirec data features image`: item images → image_feat.npy (ResNet18, 512-d pooled features).
using System.CommandLine;
using MultiRec.Features.Extraction;
using MultiRec.Features.Images;

namespace MultiRec.Cli.Commands;

/// <summary>The `data features image` verb.</summary>
public static class FeaturesImageCommand
{
    public static Command Create()
    {
        var images = new Option<DirectoryInfo>("--images") { Description = "Folder holding the image files (JPEG, PNG, …).", Required = true };
        var map = new Option<FileInfo>("--map") { Description = "CSV/TSV with itemID and image (file name), imUrl (file = last URL segment) or asin (<asin>.jpg).", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "The .npy file to write, e.g. DIR/image_feat.npy.", Required = true };
        var itemCount = new Option<int?>("--item-count") { Description = "Rows to write (default: largest itemID + 1); absent items get the mean vector." };
        var threads = new Option<int>("--threads") { Description = "Decoding and ONNX Runtime threads (default: all cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var resize = new Option<int>("--resize") { Description = "Shorter side after scaling, before the 224x224 centre crop.", DefaultValueFactory = _ => ImagePreprocessor.DefaultResizeShorterSide };
        var strict = new Option<bool>("--strict") { Description = "Fail on a missing or unreadable image instead of using the mean vector." };
        var quiet = new Option<bool>("--quiet") { Description = "No progress bar." };
        var command = new Command("image", "Encode item images with ResNet18 (ONNX) into an items x 512 float32 .npy.")
        {
            images, map, output, itemCount, threads, resize, strict, quiet,
        };
        command.SetAction(parse =>
        {
            var options = new ImageFeatureOptions
            {
                ItemCount = parse.GetValue(itemCount),
                Strict = parse.GetValue(strict),
                Encoder = new ImageEncoderOptions
                {
                    Threads = FeaturesTextCommand.Positive(parse.GetValue(threads), "--threads"),
                    ResizeShorterSide = parse.GetValue(resize) >= ImagePreprocessor.InputSize
                        ? parse.GetValue(resize)
                        : throw new UsageException($"--resize must be at least {ImagePreprocessor.InputSize}"),
                },
            };
            var console = parse.InvocationConfiguration;
            var bar = ProgressBar.CreateFor(console.Error, "image", parse.GetValue(quiet));
            var report = ImageFeatureExtractor.Run(
                parse.GetRequiredValue(images).FullName,
                parse.GetRequiredValue(map).FullName,
                parse.GetRequiredValue(output).FullName,
                options,
                bar is null ? null : bar.Report);
            FeatureReportPrinter.Print(report, console.Output, console.Error);
            return CliApp.Success;
        });
        return command;
    }
}
