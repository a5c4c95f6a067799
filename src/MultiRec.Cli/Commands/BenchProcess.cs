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
        // This command again: the dotnet host with MultiRec.Cli.dll, or the published executable alone.
        var assembly = typeof(BenchProcess).Assembly.Location;
        var host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (assembly.Length > 0 && !string.Equals(Path.GetFileNameWithoutExtension(host), Path.GetFileNameWithoutExtension(assembly), StringComparison.Ordinal))
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
}
