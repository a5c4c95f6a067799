// Access to the default YAML files shipped inside the library (configs/ in the repository).
using System.Reflection;

namespace MultiRec.Config;

/// <summary>The embedded configs/ tree: overall.yaml, model/*.yaml, dataset/*.yaml, grid/*.yaml.</summary>
public static class DefaultConfigs
{
    /// <summary>Reads an embedded file such as "overall.yaml" or "model/BM3.yaml"; null when absent.</summary>
    public static ConfigLayer? TryLoad(string relativePath)
    {
        var name = "configs/" + relativePath.Replace('\\', '/');
        using var stream = typeof(DefaultConfigs).Assembly.GetManifestResourceStream(name);
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return YamlConfigReader.Parse(reader.ReadToEnd(), "configs/" + relativePath);
    }

    /// <summary>Names of the embedded files (for listings and tests).</summary>
    public static IEnumerable<string> Names() =>
        typeof(DefaultConfigs).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("configs/", StringComparison.Ordinal))
            .Select(n => n["configs/".Length..]);
}
