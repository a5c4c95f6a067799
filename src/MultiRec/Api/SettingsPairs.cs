// Turns TrainSettings (typed values and an options record) into the key=value overrides the config layers take.
using System.Collections;
using System.Globalization;
using System.Reflection;
using MultiRec.Config;

namespace MultiRec;

/// <summary>Formats typed settings as <c>key=value</c> pairs (snake_case keys, invariant numbers, [a,b] lists).</summary>
internal static class SettingsPairs
{
    public static List<string> From(TrainSettings settings)
    {
        var pairs = new List<string>();
        if (settings.ModelOptions is { } options)
        {
            var expected = Models.ModelCatalog.OptionsType(settings.Model);
            if (options.GetType() != expected)
            {
                throw new ArgumentException($"ModelOptions is a {options.GetType().Name}, but model {Models.ModelCatalog.Canonical(settings.Model)} takes {expected.Name}", nameof(settings));
            }

            foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0))
            {
                if (Format(property.GetValue(options)) is { } value)
                {
                    pairs.Add($"{ConfigSchema.ToSnakeCase(property.Name)}={value}");
                }
            }
        }

        Add(pairs, "epochs", settings.Epochs);
        Add(pairs, "seed", settings.Seed);
        Add(pairs, "learning_rate", settings.LearningRate);
        Add(pairs, "train_batch_size", settings.TrainBatchSize);
        Add(pairs, "stopping_step", settings.StoppingStep);
        Add(pairs, "threads", settings.Threads);
        Add(pairs, "topk", settings.TopK);
        foreach (var (key, value) in settings.Set ?? new Dictionary<string, string>())
        {
            pairs.Add($"{key}={value}");
        }

        return pairs;
    }

    private static void Add(List<string> pairs, string key, object? value)
    {
        if (Format(value) is { } text)
        {
            pairs.Add($"{key}={text}");
        }
    }

    private static string? Format(object? value) => value switch
    {
        null => null,
        bool b => b ? "true" : "false",
        string s => s,
        IFormattable f => f.ToString(value is double or float ? "R" : null, CultureInfo.InvariantCulture),
        IEnumerable list => "[" + string.Join(",", list.Cast<object?>().Select(Format)) + "]",
        _ => value.ToString(),
    };
}
