// Runs `multirec bench --json` for one model in a child process, so each model's peak memory is its own.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MultiRec.Training;
using MultiRec.Training.Comparison;

namespace MultiRec.Cli.Commands;

/// <summary>The child-process bench used by `compare --efficiency`.</summary>
internal static class BenchProcess
{
    public static BenchReport Run(ComparisonRequest request, string model, int epochs, int threads)
    {
        var assembly = typeof(BenchProcess).Assembly.Location;
        var host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (HostNeedsAssembly(host, assembly))
        {
            start.ArgumentList.Add(assembly);
        }

        string[] args = ["bench", "--json", "--data", request.DataDir, "--model", model, "--epochs", epochs.ToString(CultureInfo.InvariantCulture),
            "--threads", threads.ToString(CultureInfo.InvariantCulture)];
        foreach (var a in args.Concat(request.InterFile is null ? [] : ["--inter", request.InterFile]).Concat(request.Set.SelectMany(s => new[] { "--set", s })))
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {host}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"bench of {model} failed (exit {process.ExitCode}): {stderr.Result.Trim()}");
        }

        return JsonSerializer.Deserialize<BenchReport>(stdout.Trim().Split('\n')[^1])
            ?? throw new InvalidOperationException($"bench of {model} printed no report");
    }

    /// <summary>This command again: the dotnet host runs MultiRec.Cli.dll given as its first argument; an apphost (the
    /// `MultiRec.Cli` executable beside the dll, the `multirec` tool shim, a published single file) runs itself. The
    /// host's name decides, not a comparison with the assembly's: "MultiRec.Cli" has the "extension" ".Cli".</summary>
    internal static bool HostNeedsAssembly(string host, string assembly) =>
        assembly.Length > 0 && string.Equals(Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.OrdinalIgnoreCase);
}
