// The set of known configuration keys, derived from typed options records (PascalCase property → snake_case key).
using System.Globalization;
using System.Reflection;
using System.Text;

namespace MultiRec.Config;

/// <summary>One known key: its name, CLR type and the options record it binds to.</summary>
public sealed record ConfigKey(string Name, Type Type, Type Owner, PropertyInfo Property)
{
    /// <summary>The declared range of the value (or of each list element), when the property has one.</summary>
    public ConfigRangeAttribute? Range => Property.GetCustomAttribute<ConfigRangeAttribute>();

    /// <summary>True when a list value must hold at least one element.</summary>
    public bool NotEmpty => Property.GetCustomAttribute<ConfigNotEmptyAttribute>() is not null;

    /// <summary>True when the key itself holds a list (so a list value is not a grid axis).</summary>
    public bool IsListType => Type != typeof(string) && Type.IsGenericType && Type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>);
}

/// <summary>Known keys of a set of options records. Unknown keys are errors.</summary>
public sealed class ConfigSchema
{
    private readonly Dictionary<string, ConfigKey> _keys = new(StringComparer.Ordinal);

    /// <summary>The keys of the given options records (each public property, in snake_case).</summary>
    public ConfigSchema(params Type[] optionRecords)
    {
        foreach (var type in optionRecords)
        {
            foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (p.SetMethod is null || p.Name == "EqualityContract")
                {
                    continue;
                }

                var key = ToSnakeCase(p.Name);
                if (_keys.TryGetValue(key, out var existing) && existing.Type != p.PropertyType)
                {
                    throw new InvalidOperationException($"config key '{key}' is declared with two types");
                }

                _keys.TryAdd(key, new ConfigKey(key, p.PropertyType, type, p));
            }
        }
    }

    /// <summary>All known keys.</summary>
    public IReadOnlyCollection<ConfigKey> Keys => _keys.Values;

    /// <summary>Looks a key up.</summary>
    public bool TryGet(string name, out ConfigKey key) => _keys.TryGetValue(name, out key!);

    /// <summary>"Did you mean" help for an unknown key.</summary>
    public string Suggest(string unknown)
    {
        var best = _keys.Keys.OrderBy(k => Distance(k, unknown)).FirstOrDefault();
        return best is not null && Distance(best, unknown) <= 3 ? $" (did you mean '{best}'?)" : "";
    }

    /// <summary>Converts a raw scalar to the key's type and checks its declared range; throws ConfigException
    /// naming source, line and key. Non-finite numbers (nan, inf) are refused for every key.</summary>
    public static object? ConvertScalar(ConfigKey key, Type type, string raw, ConfigValue origin)
    {
        var value = Parse(key, type, raw, origin);
        if (value is null or string or bool)
        {
            return value;
        }

        var number = System.Convert.ToDouble(value, CultureInfo.InvariantCulture);
        if (!double.IsFinite(number))
        {
            throw new ConfigException(origin.Source, $"key '{key.Name}': '{Shorten(raw)}' is not a finite number", origin.Line);
        }

        if (key.Range is { } range && !range.Contains(number))
        {
            var t = Nullable.GetUnderlyingType(type) ?? type;
            throw new ConfigException(origin.Source, $"key '{key.Name}': {Shorten(raw)} is out of range: expected {range.Describe(t == typeof(int) || t == typeof(long))}", origin.Line);
        }

        return value;
    }

    private static object? Parse(ConfigKey key, Type type, string raw, ConfigValue origin)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        try
        {
            if (t == typeof(string))
            {
                return raw;
            }

            if (t == typeof(int))
            {
                return int.Parse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture);
            }

            if (t == typeof(long))
            {
                return long.Parse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture);
            }

            if (t == typeof(double))
            {
                return double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
            }

            if (t == typeof(float))
            {
                return float.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
            }

            if (t == typeof(bool))
            {
                return raw.ToLowerInvariant() switch
                {
                    "true" or "yes" or "on" => true,
                    "false" or "no" or "off" => false,
                    _ => throw new FormatException(),
                };
            }
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new ConfigException(origin.Source, $"key '{key.Name}': '{Shorten(raw)}' is not a valid {Describe(t)}", origin.Line);
        }

        throw new InvalidOperationException($"unsupported config type {t} for key '{key.Name}'");
    }

    /// <summary>Converts a raw value (scalar or list) to the key's declared type.</summary>
    public static object? Convert(ConfigKey key, ConfigValue value)
    {
        if (key.IsListType)
        {
            var element = key.Type.GetGenericArguments()[0];
            if (!value.IsList)
            {
                if (value.Scalar is "auto" or "null" or "~" or "" && key.Property.PropertyType.IsGenericType)
                {
                    return null;
                }

                throw new ConfigException(value.Source, $"key '{key.Name}' expects a list like [a, b], got '{Shorten(value.Scalar ?? "")}'", value.Line);
            }

            if (key.NotEmpty && value.List!.Count == 0)
            {
                throw new ConfigException(value.Source, $"key '{key.Name}' needs at least one value", value.Line);
            }

            var array = Array.CreateInstance(element, value.List!.Count);
            for (var i = 0; i < value.List.Count; i++)
            {
                array.SetValue(ConvertScalar(key, element, value.List[i], value), i);
            }

            return array;
        }

        if (value.IsList)
        {
            throw new ConfigException(value.Source, $"key '{key.Name}' expects a single {Describe(key.Type)}, got a list (lists are grid axes: use `multirec grid`)", value.Line);
        }

        return ConvertScalar(key, key.Type, value.Scalar!, value);
    }

    /// <summary>PascalCase → snake_case (NLayers → n_layers, TrainBatchSize → train_batch_size).</summary>
    public static string ToSnakeCase(string name)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]) || (char.IsUpper(name[i - 1]) && i + 1 < name.Length && char.IsLower(name[i + 1]))))
            {
                sb.Append('_');
            }

            sb.Append(char.ToLowerInvariant(c));
        }

        return sb.ToString();
    }

    private static string Shorten(string text) => YamlConfigReader.Shorten(text);

    private static string Describe(Type t) => t == typeof(int) || t == typeof(long) ? "integer"
        : t == typeof(double) || t == typeof(float) ? "number"
        : t == typeof(bool) ? "boolean (true/false)"
        : t.Name;

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
        }

        return d[a.Length, b.Length];
    }
}
