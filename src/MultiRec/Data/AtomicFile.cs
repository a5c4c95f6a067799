// Writes a file atomically: everything goes to a temporary file in the same folder, renamed over the target on Commit.
namespace MultiRec.Data;

/// <summary>A write stream whose content replaces <see cref="TargetPath"/> only when <see cref="Commit"/> is
/// called; disposing without committing deletes the temporary file and leaves the target untouched.</summary>
internal sealed class AtomicFile : IDisposable
{
    private const int BufferBytes = 1 << 20;
    private readonly string _tempPath;
    private FileStream? _stream;

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
    }

    public void Dispose()
    {
        if (_stream is null)
        {
            return;
        }

        _stream.Dispose();
        _stream = null;
        try
        {
            File.Delete(_tempPath);
        }
        catch (IOException)
        {
        }
    }
}
