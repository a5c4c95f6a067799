// Writes a file atomically: everything goes to a temporary file in the same folder, renamed over the target on Commit.
using System.Text.RegularExpressions;

namespace MultiRec.Data;

/// <summary>A write stream whose content replaces <see cref="TargetPath"/> only when <see cref="Commit"/> is
/// called; disposing without committing deletes the temporary file and leaves the target untouched, also when
/// closing the stream fails again (a full disk).</summary>
internal sealed partial class AtomicFile : IDisposable
{
    private const int BufferBytes = 1 << 20;
    private readonly string _tempPath;
    private FileStream? _stream;
    private bool _committed;

    public AtomicFile(string targetPath)
    {
        TargetPath = Path.GetFullPath(targetPath);
        var folder = Path.GetDirectoryName(TargetPath) ?? ".";
        Directory.CreateDirectory(folder);
        _tempPath = Path.Combine(folder, $".{Path.GetFileName(TargetPath)}.{Guid.NewGuid():N}.tmp");
        _stream = new FileStream(_tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes);
    }

    /// <summary>The file that Commit replaces.</summary>
    public string TargetPath { get; }

    /// <summary>The stream to write the content to.</summary>
    public Stream Stream => _stream ?? throw new ObjectDisposedException(nameof(AtomicFile));

    /// <summary>Flushes to disk and renames the temporary file over the target.</summary>
    public void Commit()
    {
        var stream = _stream ?? throw new ObjectDisposedException(nameof(AtomicFile));
        stream.Flush(flushToDisk: true);
        stream.Dispose();
        _stream = null;
        File.Move(_tempPath, TargetPath, overwrite: true);
        _committed = true;
    }

    public void Dispose()
    {
        if (_committed)
        {
            return;
        }

        var stream = _stream;
        _stream = null;
        try
        {
            // Closing flushes the buffer, which fails again when the disk is full; the handle is closed regardless.
            stream?.Dispose();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or UnauthorizedAccessException)
        {
        }
        finally
        {
            TryDelete(_tempPath);
            _committed = true;
        }
    }

    /// <summary>Deletes the temporary files of this class (".NAME.&lt;32 hex&gt;.tmp") in <paramref name="folder"/>:
    /// what a killed process left behind. Returns how many were removed.</summary>
    public static int RemoveStaleTempFiles(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return 0;
        }

        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(folder, ".*.tmp"))
        {
            if (TempName().IsMatch(Path.GetFileName(file)) && TryDelete(file))
            {
                removed++;
            }
        }

        return removed;
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^\..+\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex TempName();
}
