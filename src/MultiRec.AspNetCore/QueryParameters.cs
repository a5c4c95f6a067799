// Strict parsing of the query parameters k and exclude_seen, with messages that say what was wrong.
using System.Globalization;

namespace MultiRec.AspNetCore;

/// <summary>Parses query values by hand (not by model binding) so that every bad value gets a problem-details
/// 400 naming the parameter, the accepted values and what was sent.</summary>
internal static class QueryParameters
{
    /// <summary>k: absent means the default; otherwise a decimal integer in 1..maxK.</summary>
    public static bool TryParseK(string? text, int defaultK, int maxK, out int k, out string? error)
    {
        error = null;
        k = defaultK;
        if (text is null)
        {
            return true;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out k) && k >= 1 && k <= maxK)
        {
            return true;
        }

        error = $"k must be an integer in 1..{maxK} (got '{text}')";
        return false;
    }

    /// <summary>A boolean flag: absent means the default; otherwise true or false (any letter case).</summary>
    public static bool TryParseFlag(string name, string? text, bool fallback, out bool value, out string? error)
    {
        error = null;
        value = fallback;
        if (text is null)
        {
            return true;
        }

        if (bool.TryParse(text, out value))
        {
            return true;
        }

        error = $"{name} must be true or false (got '{text}')";
        return false;
    }
}
