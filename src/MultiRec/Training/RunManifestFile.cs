// Writes run.json atomically, reads it back with errors naming the file, and opens old run folders (config.yaml only).
using System.Reflection;
using System.Text.Json;
using MultiRec.Config;
using MultiRec.Data;

namespace MultiRec.Training;

/// <summary>Reading and writing a run folder's <see cref="RunManifest"/>.</summary>
public static class RunManifestFile
{
    /// <summary>The version of the MultiRec library (informational version without the source revision).</summary>
    public static string LibraryVersion { get; } = ReadVersion();

    /// <summary>The manifest of a new run from its resolved configuration and loaded dataset.</summary>
    public static RunManifest FromConfig(ResolvedConfig config, Dataset data, string? dataPathGiven)
    {
        var identity = config.Bind<RunOptions>();
        var training = config.Bind<TrainingOptions>();
        IReadOnlyList<string>? modalities = null;
        if (config.Values.TryGetValue("modalities", out var m))
        {
            modalities = m.IsList ? m.List!.ToList() : [m.Scalar ?? "auto"];
        }

        return new RunManifest
        {
            MultirecVersion = LibraryVersion,
            Model = identity.Model,
            DataPath = string.IsNullOrEmpty(identity.DataPath) ? Path.GetFullPath(data.Directory) : identity.DataPath,
            DataPathGiven = dataPathGiven,
            InterFile = identity.InterFile.Length == 0 ? null : identity.InterFile,
            Dataset = new RunManifestDataset
            {
                Name = data.Name,
                Users = data.Users,
                Items = data.Items,
                Modalities = modalities,
                FeatureFiles = DatasetFiles.FeatureFiles.Where(f => data.Features.ContainsKey(f.Modality)).Select(f => f.FileName).ToList(),
            },
            Evaluation = new RunManifestEvaluation
            {
                Topk = training.Topk.ToList(),
                ValidMetric = training.ValidMetric,
                MaskValidAtTest = training.MaskValidAtTest,
            },
            Seed = training.Seed,
            Threads = training.Threads,
        };
    }

    /// <summary>Writes run.json into the folder atomically (temporary file, then rename).</summary>
    public static void Write(RunFolder run, RunManifest manifest) =>
        RunFolder.WriteTextAtomic(run.ManifestFile, JsonSerializer.Serialize(manifest, RunManifestJsonContext.Default.RunManifest) + "\n");

    /// <summary>Reads a run.json; a missing, unreadable or malformed file, or one from a newer schema, is a
    /// <see cref="DataFormatException"/> naming the file.</summary>
    public static RunManifest Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new DataFormatException(path, "run manifest not found (not a run folder written by `multirec train`?)");
        }

        RunManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(File.ReadAllText(path), RunManifestJsonContext.Default.RunManifest);
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, $"run manifest is not valid JSON ({e.Message})", e.LineNumber + 1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(path, $"run manifest cannot be read ({e.Message})");
        }

        if (manifest is null)
        {
            throw new DataFormatException(path, "run manifest is empty (null)");
        }

        if (manifest.SchemaVersion < 1 || manifest.SchemaVersion > RunManifest.CurrentSchemaVersion)
        {
            throw new DataFormatException(path, $"run manifest schema_version {manifest.SchemaVersion} is not supported (this MultiRec {LibraryVersion} reads 1..{RunManifest.CurrentSchemaVersion}; a newer MultiRec wrote it?)");
        }

        if (string.IsNullOrWhiteSpace(manifest.Model))
        {
            throw new DataFormatException(path, "run manifest has no 'model'");
        }

        if (string.IsNullOrWhiteSpace(manifest.DataPath))
        {
            throw new DataFormatException(path, "run manifest has no 'data_path': the run does not name its dataset folder");
        }

        if (manifest.Evaluation is null || manifest.Evaluation.Topk is not { Count: > 0 } || manifest.Dataset is null)
        {
            throw new DataFormatException(path, "run manifest has no 'evaluation.topk' or 'dataset' section");
        }

        return manifest;
    }

    /// <summary>Opens a run folder's manifest: run.json when present; otherwise (a run written before run.json
    /// existed) the manifest is derived from config.yaml with the model's options schema, as before.</summary>
    public static RunManifest Open(RunFolder run)
    {
        if (File.Exists(run.ManifestFile))
        {
            return Read(run.ManifestFile);
        }

        if (!File.Exists(run.ConfigFile))
        {
            throw new DataFormatException(run.ManifestFile, "not a run folder (run.json and config.yaml are missing)");
        }

        var model = RunConfig.ReadModel(run.ConfigFile);
        var config = ResolvedConfig.Resolve(TrainingSession.SchemaFor(model), [YamlConfigReader.ReadFile(run.ConfigFile)]);
        var identity = config.Bind<RunOptions>();
        var training = config.Bind<TrainingOptions>();
        return new RunManifest
        {
            MultirecVersion = "",
            Model = model,
            DataPath = RunConfig.DataPath(config, run.ConfigFile),
            InterFile = identity.InterFile.Length == 0 ? null : identity.InterFile,
            Evaluation = new RunManifestEvaluation { Topk = training.Topk.ToList(), ValidMetric = training.ValidMetric, MaskValidAtTest = training.MaskValidAtTest },
            Seed = training.Seed,
            Threads = training.Threads,
        };
    }

    private static string ReadVersion()
    {
        var info = typeof(RunManifestFile).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = info.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? info : info[..plus];
    }
}
