// Reads the identity (model, dataset path) of an existing run folder from its config.yaml.
using MultiRec.Config;
using MultiRec.Models;

namespace MultiRec.Training;

/// <summary>Helpers to reopen a run folder's configuration.</summary>
public static class RunConfig
{
    /// <summary>The model named in a run's config.yaml (canonical spelling); errors name the file and line.</summary>
    public static string ReadModel(string configFile)
    {
        var layer = YamlConfigReader.ReadFile(configFile);
        if (!layer.Values.TryGetValue("model", out var v) || v.Scalar is not { Length: > 0 } m)
        {
            throw new ConfigException(configFile, "no 'model' key: not a MultiRec run configuration");
        }

        return ModelCatalog.Names.FirstOrDefault(n => string.Equals(n, m, StringComparison.OrdinalIgnoreCase))
            ?? throw new ConfigException(configFile, $"key 'model': unknown model '{YamlConfigReader.Shorten(m)}' (known: {string.Join(", ", ModelCatalog.Names)})", v.Line);
    }

    /// <summary>The dataset folder a run's resolved config names; a config without one is an error naming the file.</summary>
    public static string DataPath(ResolvedConfig config, string configFile)
    {
        var path = config.Bind<RunOptions>().DataPath;
        return string.IsNullOrWhiteSpace(path)
            ? throw new ConfigException(configFile, "no 'data_path' key: the run does not name its dataset folder")
            : path;
    }
}
