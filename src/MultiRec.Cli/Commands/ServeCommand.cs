// `multirec serve --run DIR [--urls http://127.0.0.1:5080]`: the HTTP API over a run, until SIGTERM or Ctrl+C; a
// small host over the MultiRec.AspNetCore package (API key, HTTPS and reload included).
using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MultiRec.AspNetCore;
using MultiRec.Serving;

namespace MultiRec.Cli.Commands;

/// <summary>The `serve` verb: loads the run once and serves it with Kestrel.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var defaults = new ServerOptions();
        var run = new RunModelOptions();
        var urls = new Option<string>("--urls") { Description = "Listen addresses, ';'-separated (port 0: any free port).", DefaultValueFactory = _ => defaults.Urls };
        var exclude = RunModelOptions.Exclude("What exclude_seen=true (the API default) removes: none, train, train+valid or all.");
        var maxK = new Option<int>("--max-k") { Description = "Largest k a request may ask for.", DefaultValueFactory = _ => defaults.MaxK };
        var maxEntries = new Option<int>("--max-batch-entries") { Description = "Request budget of POST /v1/recommendations: user_ids x k at most this (400 beyond).", DefaultValueFactory = _ => defaults.MaxBatchEntries };
        var logLevel = new Option<LogLevel>("--log-level") { Description = "Console log level (Information logs every request and costs throughput).", DefaultValueFactory = _ => defaults.LogLevel };
        var apiKeyFile = new Option<string?>("--api-key-file") { Description = $"Require this key (the file's content) in the X-API-Key header of every /v1 request; also enables POST /v1/admin/reload. Without it, the {ApiKeySource.EnvironmentVariable} environment variable is read. Never give the key itself on the command line." };
        var httpsCert = new Option<string?>("--https-cert") { Description = "PKCS#12 (.pfx) certificate for https:// addresses in --urls." };
        var httpsPassword = new Option<string?>("--https-cert-password-file") { Description = "File holding the --https-cert password." };
        var noWatch = new Option<bool>("--no-watch") { Description = "Do not reload the model when the run folder's run.json or embeddings change." };
        var cmd = new Command("serve", "Serve recommendations over HTTP (GET /v1/users/{id}/recommendations, POST /v1/recommendations, GET /v1/items/{id}/similar, /healthz, /openapi/v1.json).")
        {
            urls, exclude, maxK, maxEntries, logLevel, apiKeyFile, httpsCert, httpsPassword, noWatch,
        };
        run.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            var options = defaults with
            {
                Urls = parse.GetValue(urls)!,
                Seen = ExcludeModes.Parse(parse.GetValue(exclude)!),
                MaxK = parse.GetValue(maxK),
                MaxBatchEntries = parse.GetValue(maxEntries),
                LogLevel = parse.GetValue(logLevel),
                WatchRunFolder = !parse.GetValue(noWatch),
            };
            try
            {
                options = options with
                {
                    ApiKey = ApiKeySource.Read(parse.GetValue(apiKeyFile)),
                    HttpsCertificateFile = parse.GetValue(httpsCert),
                    HttpsCertificatePassword = ReadPassword(parse.GetValue(httpsPassword), parse.GetValue(httpsCert)),
                };
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }

            var recommender = run.LoadReloadable(parse);
            var model = recommender.Current.Info;
            var output = parse.InvocationConfiguration.Output;
            var (app, address) = RecommendationServer.StartAsync(recommender, options).GetAwaiter().GetResult();
            output.WriteLine($"serving {model.RunFolder} ({model.Users:N0} users, {model.Items:N0} items, d={model.Dimensions}{(options.ApiKey is null ? "" : ", API key required")}) on {string.Join(", ", RecommendationServer.Addresses(app).DefaultIfEmpty(address.ToString()))}; SIGTERM or Ctrl+C stops");
            output.Flush();
            app.WaitForShutdownAsync().GetAwaiter().GetResult();
            app.DisposeAsync().AsTask().GetAwaiter().GetResult();
            output.WriteLine("stopped");
            return CliApp.Success;
        });
        return cmd;
    }

    private static string? ReadPassword(string? file, string? certificate)
    {
        if (file is null)
        {
            return null;
        }

        if (certificate is null)
        {
            throw new ArgumentException("--https-cert-password-file needs --https-cert");
        }

        try
        {
            return File.ReadAllText(file).TrimEnd('\r', '\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"--https-cert-password-file {file}: cannot read it ({e.Message})", e);
        }
    }
}
