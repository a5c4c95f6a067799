// Reads flat YAML configuration files and --set key=value pairs into config layers.
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MultiRec.Training.Config;

/// <summary>Parses configuration text. Files are flat mappings of key to scalar or list of scalars.</summary>
public static class YamlConfigReader
{
    /// <summary>Reads a YAML file into a layer; errors name the file and line.</summary>
    public static ConfigLayer ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigException(path, "config file not found");
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses YAML text (a flat mapping) into a layer named by <paramref name="source"/>.</summary>
    public static ConfigLayer Parse(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ConfigException(source, "malformed YAML: " + e.Message, (int)e.Start.Line);
        }

        var values = new Dictionary<string, ConfigValue>(StringComparer.Ordinal);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return new ConfigLayer(source, values);
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode map)
        {
            throw new ConfigException(source, "expected a mapping of key: value at the top level", (int)stream.Documents[0].RootNode.Start.Line);
        }

        foreach (var (keyNode, valueNode) in map.Children)
        {
            var line = (int)keyNode.Start.Line;
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                throw new ConfigException(source, "keys must be plain names", line);
            }

            if (values.ContainsKey(key))
            {
                throw new ConfigException(source, $"key '{key}' appears twice", line);
            }

            values[key] = valueNode switch
            {
                YamlScalarNode s => new ConfigValue(source, line, s.Value ?? "", null),
                YamlSequenceNode seq => new ConfigValue(source, line, null, seq.Children.Select(c => c is YamlScalarNode cs
                    ? cs.Value ?? ""
                    : throw new ConfigException(source, $"key '{key}': list entries must be scalars", (int)c.Start.Line)).ToList()),
                _ => throw new ConfigException(source, $"key '{key}': nested mappings are not supported (configs are flat)", line),
            };
        }

        return new ConfigLayer(source, values);
    }

    /// <summary>Parses `key=value` pairs from the command line; the value is YAML (e.g. `n_layers=[1,2]`).</summary>
    public static ConfigLayer ParseSetPairs(IEnumerable<string> pairs)
    {
        var values = new Dictionary<string, ConfigValue>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0)
            {
                throw new ConfigException("--set", $"'{pair}' is not of the form key=value");
            }

            var key = pair[..eq].Trim();
            var layer = Parse(key + ": " + pair[(eq + 1)..], "--set");
            values[key] = layer.Values[key] with { Line = null };
        }

        return new ConfigLayer("--set", values);
    }
}
