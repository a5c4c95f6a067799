// Reads the identity (model, dataset path) of an existing run folder from its config.yaml.
using MultiRec.Training.Config;

namespace MultiRec.Training;

/// <summary>Helpers to reopen a run folder's configuration.</summary>
public static class RunConfig
{
    /// <summary>The model named in a run's config.yaml.</summary>
    public static string ReadModel(string configFile)
    {
        var layer = YamlConfigReader.ReadFile(configFile);
        return layer.Values.TryGetValue("model", out var v) && v.Scalar is { Length: > 0 } m
            ? m
            : throw new ConfigException(configFile, "no 'model' key: not a MultiRec run configuration");
    }
}
