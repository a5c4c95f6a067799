// Assembles the configuration layers of a run: overall -> dataset -> model -> model on dataset -> --config file -> --set.
namespace MultiRec.Config;

/// <summary>Builds the layered configuration of one run or grid.</summary>
public static class ConfigBuilder
{
    /// <summary>Resolves the layers for <paramref name="model"/> on the dataset named <paramref name="datasetName"/>.</summary>
    /// <param name="schema">Known keys (run, training and model options).</param>
    /// <param name="model">Model name; its embedded model/&lt;model&gt;.yaml must exist.</param>
    /// <param name="datasetName">Dataset name; dataset/&lt;name&gt;.yaml (dataset keys) and, after the model layer,
    /// model/&lt;model&gt;/&lt;name&gt;.yaml (the model's best setting there) are applied when they exist.</param>
    /// <param name="configFile">Optional user YAML file.</param>
    /// <param name="setPairs">`key=value` overrides from the command line.</param>
    /// <param name="extra">Programmatic values applied last (e.g. model and data_path).</param>
    /// <param name="gridFile">For grids: the grid layer (embedded grid/&lt;model&gt;.yaml by default), applied after the model.</param>
    /// <param name="allowAxes">Accept lists on scalar keys as grid axes (the `grid` verb).</param>
    /// <param name="defaults">Where the built-in layers come from (a relative path such as "dataset/baby.yaml" to a
    /// layer, null when absent); default the files embedded from configs/.</param>
    public static ResolvedConfig Build(
        ConfigSchema schema,
        string model,
        string datasetName,
        string? configFile,
        IEnumerable<string> setPairs,
        IReadOnlyDictionary<string, string>? extra = null,
        ConfigLayer? gridFile = null,
        bool allowAxes = false,
        Func<string, ConfigLayer?>? defaults = null)
    {
        defaults ??= DefaultConfigs.TryLoad;
        var layers = new List<ConfigLayer>
        {
            defaults("overall.yaml") ?? throw new InvalidOperationException("configs/overall.yaml is missing"),
        };
        if (defaults($"dataset/{datasetName}.yaml") is { } dataset)
        {
            layers.Add(dataset);
        }

        layers.Add(defaults($"model/{model}.yaml") ?? throw new ConfigException("--model", $"unknown model '{model}'"));
        if (defaults($"model/{model}/{datasetName}.yaml") is { } modelOnDataset)
        {
            layers.Add(modelOnDataset);
        }
        if (gridFile is not null)
        {
            layers.Add(gridFile);
        }

        if (configFile is not null)
        {
            layers.Add(YamlConfigReader.ReadFile(configFile));
        }

        layers.Add(YamlConfigReader.ParseSetPairs(setPairs));
        if (extra is not null)
        {
            layers.Add(new ConfigLayer("run", extra.ToDictionary(kv => kv.Key, kv => new ConfigValue("run", null, kv.Value, null))));
        }

        return ResolvedConfig.Resolve(schema, layers, allowAxes);
    }
}
