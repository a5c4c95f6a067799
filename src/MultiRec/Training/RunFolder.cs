// The run folder: where a training run writes its config, logs, checkpoints, embeddings and report.
using System.Globalization;
using System.Text;
using MultiRec.Data;

namespace MultiRec.Training;

/// <summary>Paths of a run folder and atomic writers for its files.</summary>
public sealed class RunFolder
{
    /// <summary>The run folder at <paramref name="path"/> (made absolute; not created).</summary>
    public RunFolder(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>Absolute path of the folder.</summary>
    public string Path { get; }

    /// <summary>config.yaml: the resolved configuration.</summary>
    public string ConfigFile => File("config.yaml");

    /// <summary>run.json: the manifest evaluation and serving open the run from (<see cref="RunManifest"/>).</summary>
    public string ManifestFile => File(RunManifest.FileName);

    /// <summary>metrics.jsonl: one line per epoch.</summary>
    public string MetricsFile => File("metrics.jsonl");

    /// <summary>results.json: the best epoch and its metrics.</summary>
    public string ResultsFile => File("results.json");

    /// <summary>best.safetensors: parameters at the best epoch.</summary>
    public string BestCheckpoint => File("best.safetensors");

    /// <summary>last.safetensors: latest parameters with optimizer and trainer state.</summary>
    public string LastCheckpoint => File("last.safetensors");

    /// <summary>user_emb.npy: user scoring embeddings.</summary>
    public string UserEmbeddings => File("user_emb.npy");

    /// <summary>item_emb.npy: item scoring embeddings.</summary>
    public string ItemEmbeddings => File("item_emb.npy");

    /// <summary>training_curves.png: loss and validation metric per epoch.</summary>
    public string CurvesPng => File("training_curves.png");

    /// <summary>report.md: the run's summary.</summary>
    public string Report => File("report.md");

    /// <summary>report.html: the report as one self-contained page.</summary>
    public string ReportHtml => File("report.html");

    /// <summary>A file inside the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>The default folder name: runs/&lt;model&gt;-&lt;dataset&gt;-&lt;yyyyMMdd-HHmmss&gt; under the current directory.</summary>
    public static string DefaultPath(string model, string dataset, DateTime now) =>
        System.IO.Path.Combine("runs", $"{model}-{dataset}-{now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");

    /// <summary>Refuses a folder that exists and holds anything, unless <paramref name="force"/>: training into it
    /// would replace a finished run's checkpoints and metrics. A path that is a file is refused in any case.</summary>
    public void CheckWritable(bool force)
    {
        if (System.IO.File.Exists(Path))
        {
            throw new Config.ConfigException("--out", $"'{Path}' is a file, not a folder");
        }

        if (!force && Directory.Exists(Path) && Directory.EnumerateFileSystemEntries(Path).Any())
        {
            throw new Config.ConfigException("--out", $"'{Path}' is not empty (it may hold a finished run); choose a new folder, or pass --force to write into it");
        }
    }

    /// <summary>Deletes the temporary files (.NAME.GUID.tmp) a killed writer left in the folder; returns how many.</summary>
    public int RemoveStaleTempFiles() => AtomicFile.RemoveStaleTempFiles(Path);

    /// <summary>Creates the folder if needed.</summary>
    public RunFolder Create()
    {
        Directory.CreateDirectory(Path);
        return this;
    }

    /// <summary>Writes a UTF-8 text file atomically.</summary>
    public static void WriteTextAtomic(string path, string text) => WriteBytesAtomic(path, Encoding.UTF8.GetBytes(text));

    /// <summary>Writes bytes atomically (temporary file, then rename).</summary>
    public static void WriteBytesAtomic(string path, ReadOnlySpan<byte> bytes)
    {
        using var file = new AtomicFile(path);
        file.Stream.Write(bytes);
        file.Commit();
    }
}
