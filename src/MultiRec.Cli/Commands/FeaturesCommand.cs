// `multirec data features ...`: the item feature extractors (text, image) and the tokenizer dump.
using System.CommandLine;

namespace MultiRec.Cli.Commands;

/// <summary>The `data features` command group.</summary>
public static class FeaturesCommand
{
    public static Command Create()
    {
        var features = new Command("features", "Item feature files: text_feat.npy (MiniLM) and image_feat.npy (ResNet18).");
        features.Subcommands.Add(FeaturesTextCommand.Create());
        features.Subcommands.Add(FeaturesImageCommand.Create());
        features.Subcommands.Add(FeaturesTokensCommand.Create());
        return features;
    }
}
