// `multirec data ...`: dataset verbs (stats, synth).
using System.CommandLine;

namespace MultiRec.Cli.Commands;

/// <summary>The `data` command group.</summary>
public static class DataCommands
{
    public static Command Create()
    {
        var data = new Command("data", "Dataset tools: statistics (stats), synthetic catalogs (synth), ratings to a dataset folder (prepare), text and image feature extraction (features).");
        data.Subcommands.Add(DataStatsCommand.Create());
        data.Subcommands.Add(DataSynthCommand.Create());
        data.Subcommands.Add(PrepareCommand.Create());
        data.Subcommands.Add(FeaturesCommand.Create());
        return data;
    }
}
