// The command tree and the exit-code contract: 0 success, 1 data/runtime error, 2 usage error, 70 internal error.
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

    /// <summary>A failure the code did not anticipate (sysexits' EX_SOFTWARE); the details go to a file.</summary>
    public const int InternalError = 70;

    /// <summary>The root command with every verb attached.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("MultiRec: multimodal recommendation (BM3) for .NET.");
        root.Subcommands.Add(DataCommands.Create());
        root.Subcommands.Add(QuickstartCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(GridCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
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
                stderr.WriteLine($"error: {ErrorText.Clip(error.Message)}");
            }

            stderr.WriteLine("Run with --help for usage.");
            return UsageError;
        }

        try
        {
            return parse.Invoke(config);
        }
        catch (Exception e)
        {
            return Report(e, stderr);
        }
    }

    /// <summary>Maps a failure to its exit code and prints one line: `error: ...` for the named errors (usage,
    /// configuration, data, I/O), `internal error: ...` for anything else, whose details go to a file.</summary>
    public static int Report(Exception failure, TextWriter stderr)
    {
        var e = Unwrap(failure);
        switch (e)
        {
            case DataFormatException or MultiRec.Training.TrainingDivergedException:
                stderr.WriteLine($"error: {ErrorText.Clip(e.Message)}");
                return DataError;
            case MultiRec.Config.ConfigException or UsageException:
                stderr.WriteLine($"error: {ErrorText.Clip(e.Message)}");
                return UsageError;
            case IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException:
                stderr.WriteLine($"error: {ErrorText.Clip(e.Message)}");
                return DataError;
            case OutOfMemoryException:
                stderr.WriteLine("error: out of memory (the input or the settings need more memory than this machine has)");
                return DataError;
            default:
                stderr.WriteLine($"internal error: {e.GetType().Name}: {ErrorText.Clip(e.Message)} -- this is a bug in MultiRec; {InternalErrorLog.Write(failure)}");
                return InternalError;
        }
    }

    /// <summary>The exception that says what went wrong: the single inner one of an aggregate or reflection wrapper.</summary>
    private static Exception Unwrap(Exception e)
    {
        while (true)
        {
            switch (e)
            {
                case AggregateException { InnerExceptions.Count: 1 } a:
                    e = a.InnerExceptions[0];
                    continue;
                case System.Reflection.TargetInvocationException { InnerException: { } inner }:
                    e = inner;
                    continue;
                default:
                    return e;
            }
        }
    }
}
