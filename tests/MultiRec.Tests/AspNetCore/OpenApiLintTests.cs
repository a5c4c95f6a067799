// Lints the served OpenAPI document with @redocly/cli 2.77.0 (recommended rules), installed by npm into a temporary
// folder: zero errors with and without the API key. Skips, saying why, where node/npm or the package is unavailable.
using System.Diagnostics;
using MultiRec.AspNetCore;
using MultiRec.Tests.Serving;

namespace MultiRec.Tests.AspNetCore;

public class OpenApiLintTests
{
    private const string Package = "@redocly/cli@2.77.0";

    [SkippableFact]
    public async Task ServedDocument_PassesRedoclyLint_WithAndWithoutApiKey()
    {
        using var tools = TestPaths.NewTempDir();
        var (code, output) = Run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", tools.Path, Package], tools.Path, TimeSpan.FromMinutes(4));
        Skip.If(code == -1, $"npm could not be started: {output}");
        Skip.If(code != 0, $"npm could not install {Package}: {output.Trim()}");
        var redocly = Path.Combine(tools.Path, "node_modules", ".bin", "redocly");
        Skip.IfNot(File.Exists(redocly), $"{Package} installed no redocly command");

        using var dir = TestPaths.NewTempDir();
        var run = ServingTestData.WriteRun(dir.Path, users: 30, items: 20, dims: 4);
        foreach (var key in new string?[] { null, "k3y-for-lint-0123456789" })
        {
            var (app, address) = await RecommendationServer.StartAsync(ReloadableRecommender.Open(run), new ServerOptions { Urls = "http://127.0.0.1:0", ApiKey = key, WatchRunFolder = false });
            await using (app)
            {
                using var client = new HttpClient { BaseAddress = address };
                var file = dir.File(key is null ? "open.json" : "keyed.json");
                await File.WriteAllTextAsync(file, await client.GetStringAsync(RecommendationServer.OpenApiPath));
                var (lint, report) = Run(redocly, ["lint", file], dir.Path, TimeSpan.FromMinutes(2));
                Assert.True(lint == 0, $"redocly lint of {Path.GetFileName(file)} failed (exit {lint}):\n{report}");
                Assert.Contains("Your API description is valid", report);
            }
        }
    }

    private static (int Code, string Output) Run(string command, IReadOnlyList<string> args, string workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return (124, $"timed out after {timeout.TotalSeconds:F0} s");
            }

            return (process.ExitCode, stdout.Result + stderr.Result);
        }
    }
}
