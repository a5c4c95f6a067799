// Watches the served run folder and reloads the model when run.json or the embeddings change.
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MultiRec.Training;

namespace MultiRec.AspNetCore;

/// <summary>A hosted service that reloads <see cref="ReloadableRecommender"/> after the run folder's run.json,
/// user_emb.npy or item_emb.npy changed and the folder stayed quiet for <see cref="MultiRecOptions.ReloadDelay"/>
/// (training writes the embeddings last, each by atomic rename). A reload that fails is logged and retried at the
/// next change; the old model keeps serving.</summary>
internal sealed partial class RunFolderWatcher(ReloadableRecommender recommender, IOptions<MultiRecOptions> options, ILogger<RunFolderWatcher> logger) : IHostedService, IDisposable
{
    private static readonly string[] Watched = [RunManifest.FileName, "user_emb.npy", "item_emb.npy"];
    private FileSystemWatcher? _watcher;
    private Timer? _timer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var folder = recommender.Info.RunFolder;
        if (!options.Value.WatchRunFolder || folder is null || !Directory.Exists(folder))
        {
            return Task.CompletedTask;
        }

        _timer = new Timer(_ => ReloadNow(), null, Timeout.Infinite, Timeout.Infinite);
        _watcher = new FileSystemWatcher(folder) { NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size, IncludeSubdirectories = false };
        _watcher.Changed += OnChange;
        _watcher.Created += OnChange;
        _watcher.Renamed += OnChange;
        _watcher.EnableRaisingEvents = true;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _watcher = null;
        _timer?.Dispose();
        _timer = null;
    }

    private void OnChange(object sender, FileSystemEventArgs e)
    {
        if (Watched.Contains(e.Name, StringComparer.Ordinal))
        {
            _timer?.Change(options.Value.ReloadDelay, Timeout.InfiniteTimeSpan);
        }
    }

    private void ReloadNow()
    {
        try
        {
            var generation = recommender.Reload();
            LogReloaded(logger, recommender.Info.RunFolder, generation);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogReloadFailed(logger, recommender.Info.RunFolder, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "reloaded the model from {Folder} (generation {Generation})")]
    private static partial void LogReloaded(ILogger logger, string? folder, long generation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "reloading {Folder} failed, the previous model keeps serving: {Error}")]
    private static partial void LogReloadFailed(ILogger logger, string? folder, string error);
}
