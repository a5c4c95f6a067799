// Assertions shared by the hostile-input tests: a named error, the right exit code, one line, no stack trace.
namespace MultiRec.Tests.Cli;

internal static class HostileCliAssert
{
    /// <summary>Runs the CLI and asserts a named error with <paramref name="exitCode"/>: stderr is `error: ...` lines
    /// (no stack trace, no internal error) and mentions every fragment in <paramref name="mentions"/>.</summary>
    public static CliResult NamedError(int exitCode, string[] args, params string[] mentions)
    {
        var result = CliRunner.Run(args);
        Assert.True(exitCode == result.ExitCode, $"exit {result.ExitCode}, expected {exitCode}; stderr: {result.Stderr}");
        NoStackTrace(result);
        Assert.StartsWith("error: ", result.Stderr);
        foreach (var m in mentions)
        {
            Assert.Contains(m, result.Stderr);
        }

        return result;
    }

    /// <summary>No .NET stack trace or internal error on stderr.</summary>
    public static void NoStackTrace(CliResult result)
    {
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.DoesNotContain("Unhandled exception", result.Stderr);
        Assert.DoesNotContain("internal error", result.Stderr);
        Assert.True(result.ExitCode is 0 or 1 or 2, $"exit {result.ExitCode}: {result.Stderr}");
    }
}
