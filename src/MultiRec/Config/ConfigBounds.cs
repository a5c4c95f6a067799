// Declared bounds of configuration keys: numeric ranges and non-empty lists, checked when a value is converted.
using System.Globalization;

namespace MultiRec.Config;

/// <summary>The closed (or half-open) range a numeric key, or every element of a numeric list key, must lie in.
/// Checked by <see cref="ConfigSchema"/> when the configuration is resolved, before anything is trained.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ConfigRangeAttribute(double min, double max) : Attribute
{
    /// <summary>Smallest accepted value (inclusive).</summary>
    public double Min { get; } = min;

    /// <summary>Largest accepted value (inclusive unless <see cref="MaxExclusive"/>).</summary>
    public double Max { get; } = max;

    /// <summary>True when <see cref="Max"/> itself is refused (dropout &lt; 1).</summary>
    public bool MaxExclusive { get; init; }

    /// <summary>True when <paramref name="value"/> is inside the range.</summary>
    public bool Contains(double value) => value >= Min && (MaxExclusive ? value < Max : value <= Max);

    /// <summary>The range as the error message states it: "an integer in [1, 4096]", "a number in [0, 1)".</summary>
    public string Describe(bool integer)
    {
        var kind = integer ? "an integer" : "a number";
        if (Max >= int.MaxValue && !MaxExclusive)
        {
            return $"{kind} >= {Format(Min)}";
        }

        return $"{kind} in [{Format(Min)}, {Format(Max)}{(MaxExclusive ? ")" : "]")}";
    }

    private static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>A list key that must hold at least one element (topk).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ConfigNotEmptyAttribute : Attribute;
