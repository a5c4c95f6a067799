// Locates the repository root, the committed fixtures and the optional ../shared/data folder.
namespace MultiRec.Tests;

/// <summary>Paths used by tests. Real-data tests skip when ../shared/data is absent.</summary>
public static class TestPaths
{
    private static readonly Lazy<string> Root = new(FindRepoRoot);

    /// <summary>The repository root (the folder holding MultiRec.slnx).</summary>
    public static string RepoRoot => Root.Value;

    /// <summary>Committed fixture files (tests/MultiRec.Tests/fixtures).</summary>
    public static string Fixtures => Path.Combine(RepoRoot, "tests", "MultiRec.Tests", "fixtures");

    /// <summary>../shared/data beside the repository, or null when it is not there.</summary>
    public static string? SharedData
    {
        get
        {
            var dir = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));
            return Directory.Exists(dir) ? dir : null;
        }
    }

    /// <summary>A dataset folder under ../shared/data; skips the calling test when it is absent.</summary>
    public static string RequireSharedDataset(string name)
    {
        var root = SharedData;
        Skip.If(root is null, "../shared/data is not present beside the repository");
        var dir = Path.Combine(root!, name);
        Skip.IfNot(Directory.Exists(dir), $"../shared/data/{name} is not present");
        return dir;
    }

    /// <summary>A fresh empty temporary folder, removed by the caller's Dispose.</summary>
    public static TempDir NewTempDir() => new();

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MultiRec.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root (MultiRec.slnx) not found");
    }
}

/// <summary>A temporary folder deleted on Dispose.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "multirec-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
