// Checks of a resolved run configuration that involve more than one key (valid_metric against topk, modality names).
using MultiRec.Config;
using MultiRec.Models;

namespace MultiRec.Training;

/// <summary>Cross-key validation of a resolved configuration; single-key bounds are checked by the schema
/// (<see cref="ConfigRangeAttribute"/>) when the layers are merged. Both run before any data is trained on.</summary>
internal static class ConfigChecks
{
    /// <summary>Binds every options record of the run and checks the keys that depend on each other.
    /// Throws <see cref="ConfigException"/> naming the key and the layer (file, line or --set) it came from.</summary>
    public static ResolvedConfig Validate(ResolvedConfig config)
    {
        var training = config.Bind<TrainingOptions>();
        var run = config.Bind<RunOptions>();
        try
        {
            Trainer.ParseMetric(training.ValidMetric, training.Topk);
        }
        catch (ArgumentException e)
        {
            throw Error(config, "valid_metric", e.Message);
        }

        if (training.LearningRateScheduler is not [>= 0 and <= 1000, >= 1e-9 and <= 1e9])
        {
            throw Error(config, "learning_rate_scheduler", $"key 'learning_rate_scheduler': expected [s0, s1] with s0 in [0, 1000] and s1 in [1e-9, 1e9], got [{string.Join(", ", training.LearningRateScheduler)}]");
        }

        // Every multimodal model takes `modalities` (auto, or a list of image and text).
        if (config.Values.TryGetValue("modalities", out var modalities) && modalities.IsList)
        {
            foreach (var name in modalities.List!)
            {
                if (name is not ("image" or "text"))
                {
                    throw Error(config, "modalities", $"key 'modalities': unknown modality '{YamlConfigReader.Shorten(name)}' (image, text)");
                }
            }
        }

        return config;
    }

    private static ConfigException Error(ResolvedConfig config, string key, string problem) =>
        config.Values.TryGetValue(key, out var v) ? new ConfigException(v.Source, problem, v.Line) : new ConfigException("defaults", problem);
}
