// Creates models by name from a dataset and a resolved configuration.
using MultiRec.Data;
using MultiRec.Training.Config;

namespace MultiRec.Models;

/// <summary>The models MultiRec can train, by name (case-insensitive).</summary>
public static class ModelRegistry
{
    /// <summary>Model names, as accepted by --model.</summary>
    public static IReadOnlyList<string> Names { get; } = ["BM3"];

    /// <summary>Canonical spelling of a model name, or an error listing the known ones.</summary>
    public static string Canonical(string name) =>
        Names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ConfigException("--model", $"unknown model '{name}' (known: {string.Join(", ", Names)})");

    /// <summary>The options records whose keys the model's configuration may hold.</summary>
    public static Type OptionsType(string name) => Canonical(name) switch
    {
        "BM3" => typeof(Bm3Options),
        _ => throw new InvalidOperationException(name),
    };

    /// <summary>Builds a freshly initialised model.</summary>
    public static IRecommenderModel Create(string name, Dataset data, ResolvedConfig config, int seed) => Canonical(name) switch
    {
        "BM3" => new Bm3(data, config.Bind<Bm3Options>(), seed),
        _ => throw new InvalidOperationException(name),
    };
}
