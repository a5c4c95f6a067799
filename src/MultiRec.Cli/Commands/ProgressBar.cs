// A one-line progress bar on stderr for long feature runs; silent when stderr is not a terminal or with --quiet.
namespace MultiRec.Cli.Commands;

/// <summary>Redraws "label [#####.....] done/total rate" in place, at most a few times a second.</summary>
public sealed class ProgressBar
{
    private const int Width = 30;
    private readonly TextWriter _error;
    private readonly string _label;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private long _lastDrawMs = -1000;

    private ProgressBar(TextWriter error, string label)
    {
        _error = error;
        _label = label;
    }

    /// <summary>A bar on <paramref name="error"/>, or null when it would not be seen by a person at a terminal.</summary>
    public static ProgressBar? CreateFor(TextWriter error, string label, bool quiet)
    {
        var isTerminal = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
        return quiet || !isTerminal ? null : new ProgressBar(error, label);
    }

    /// <summary>Shows <paramref name="done"/> of <paramref name="total"/>.</summary>
    public void Report(int done, int total)
    {
        var now = _clock.ElapsedMilliseconds;
        if (done < total && now - _lastDrawMs < 200)
        {
            return;
        }

        _lastDrawMs = now;
        var filled = total == 0 ? Width : (int)((long)done * Width / total);
        var rate = now > 0 ? done * 1000.0 / now : 0;
        _error.Write($"\r{_label} [{new string('#', filled)}{new string('.', Width - filled)}] {done}/{total} {rate:F0}/s ");
        if (done >= total)
        {
            _error.WriteLine();
        }
    }
}
