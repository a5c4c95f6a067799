// Every verb, given hostile arguments (paths below a regular file, values of the wrong type), ends with a named
// error: exit 1 or 2, `error: ...` on stderr, never a stack trace or an internal error.
using System.CommandLine;
using MultiRec.Cli;

namespace MultiRec.Tests.Cli;

public class EveryVerbTests
{
    public static TheoryData<string> Verbs()
    {
        var data = new TheoryData<string>();
        foreach (var path in Leaves(CliApp.BuildRoot(), []))
        {
            data.Add(string.Join(' ', path));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public void HostilePaths_AreNamedErrors(string verb)
    {
        using var dir = TestPaths.NewTempDir();
        var file = dir.File("plain-file");
        File.WriteAllText(file, "not a folder\n");
        // Every string option points below a regular file: no folder can be created or read there.
        var result = CliRunner.Run([.. verb.Split(' '), .. Arguments(verb, _ => Path.Combine(file, "x"))]);
        HostileCliAssert.NoStackTrace(result);
        Assert.True(result.ExitCode is 1 or 2, $"{verb}: exit {result.ExitCode}; stderr: {result.Stderr}");
        Assert.StartsWith("error: ", result.Stderr);
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public void HostileValues_AreNamedErrors(string verb)
    {
        using var dir = TestPaths.NewTempDir();
        // Control characters, a quote, a newline and a very long value in every string option.
        var result = CliRunner.Run([.. verb.Split(' '), .. Arguments(verb, _ => dir.File("\"x\n\u0001" + new string('y', 3000)))]);
        HostileCliAssert.NoStackTrace(result);
        Assert.True(result.ExitCode is 1 or 2, $"{verb}: exit {result.ExitCode}; stderr: {result.Stderr}");
        Assert.True(result.Stderr.Split('\n').All(l => l.Length <= ErrorText.MaxChars + 200), "error lines are bounded");
    }

    private static IEnumerable<string[]> Leaves(Command command, string[] prefix)
    {
        foreach (var sub in command.Subcommands)
        {
            string[] path = [.. prefix, sub.Name];
            if (sub.Subcommands.Count == 0)
            {
                yield return path;
            }
            else
            {
                foreach (var leaf in Leaves(sub, path))
                {
                    yield return leaf;
                }
            }
        }
    }

    /// <summary>A value for every string option of the verb (required or not); numeric and enum options keep
    /// their defaults, booleans stay off, and --urls gets a valid loopback address so serve reaches its files.</summary>
    private static IEnumerable<string> Arguments(string verb, Func<string, string> value)
    {
        Command command = CliApp.BuildRoot();
        foreach (var name in verb.Split(' '))
        {
            command = command.Subcommands.Single(c => c.Name == name);
        }

        foreach (var option in command.Options)
        {
            if (option.Name is "--help" or "-h" or "-?" or "--version")
            {
                continue;
            }

            var type = option.ValueType;
            if (option.Name == "--urls")
            {
                yield return option.Name;
                yield return "http://127.0.0.1:0";
            }
            else if (option.Name is "--split")
            {
                continue;
            }
            else if (type == typeof(string) || type == typeof(string[]) || type == typeof(FileInfo) || type == typeof(DirectoryInfo))
            {
                yield return option.Name;
                yield return option.Name == "--set" ? "epochs=1" : value(option.Name);
            }
            else if (option.Required)
            {
                yield return option.Name;
                yield return "1";
            }
        }

        foreach (var argument in command.Arguments)
        {
            yield return value(argument.Name);
        }
    }
}
