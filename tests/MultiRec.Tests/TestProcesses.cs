// Starting the built `multirec` command as a real child process (for kill, signal and server tests).
using System.Diagnostics;

namespace MultiRec.Tests;

/// <summary>Locates the dotnet host and the CLI assembly the test project references.</summary>
public static class TestProcesses
{
    /// <summary>MultiRec.Cli.dll beside the test assembly (a project reference).</summary>
    public static string CliAssembly => Path.Combine(AppContext.BaseDirectory, "MultiRec.Cli.dll");

    /// <summary>The dotnet host that runs the tests (DOTNET_HOST_PATH, else this process when it is dotnet, else PATH).</summary>
    public static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
        {
            return fromSdk;
        }

        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    /// <summary>A start description for `multirec ARGS` with redirected output.</summary>
    public static ProcessStartInfo Cli(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(CliAssembly);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        return start;
    }
}
