// The command tree and the exit-code contract: 0 success, 1 data/runtime error, 2 usage error.
using System.CommandLine;
using System.CommandLine.Help;
using MultiRec.Cli.Commands;
using MultiRec.Data;

namespace MultiRec.Cli;

/// <summary>Builds and runs the `multirec` command line.</summary>
public static class CliApp
{
    public const int Success = 0;
    public const int DataError = 1;
    public const int UsageError = 2;

    /// <summary>The root command with every verb attached.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("MultiRec: multimodal recommendation (BM3) for .NET.");
        root.Subcommands.Add(DataCommands.Create());
        root.Subcommands.Add(QuickstartCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(GridCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(RecommendCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        return root;
    }

    /// <summary>Parses and runs; never throws for bad input, returns the exit code instead.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = BuildRoot();
        var parse = root.Parse(args);
        var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"error: {error.Message}");
            }

            stderr.WriteLine("Run with --help for usage.");
            return UsageError;
        }

        try
        {
            return parse.Invoke(config);
        }
        catch (DataFormatException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return DataError;
        }
        catch (MultiRec.Training.Config.ConfigException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return UsageError;
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return UsageError;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return DataError;
        }
    }
}
