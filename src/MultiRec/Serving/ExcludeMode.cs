// Which of a user's known interactions are removed from the candidates of a recommendation.
namespace MultiRec.Serving;

/// <summary>Interactions excluded from a user's candidates. <see cref="Train"/> is the evaluation protocol's
/// masking (and the default everywhere); <see cref="All"/> is what a deployed recommender usually wants: nothing
/// the user is known to have interacted with.</summary>
public enum ExcludeMode
{
    /// <summary>Every item is a candidate.</summary>
    None,

    /// <summary>The user's training items are excluded.</summary>
    Train,

    /// <summary>Training and validation items are excluded.</summary>
    TrainValid,

    /// <summary>Training, validation and test items are excluded.</summary>
    All,
}

/// <summary>The command-line and HTTP spelling of <see cref="ExcludeMode"/>: none, train, train+valid, all.</summary>
public static class ExcludeModes
{
    /// <summary>Every accepted spelling, in order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["none", "train", "train+valid", "all"];

    /// <summary>The spelling of a mode.</summary>
    public static string Name(ExcludeMode mode) => mode switch
    {
        ExcludeMode.None => "none",
        ExcludeMode.Train => "train",
        ExcludeMode.TrainValid => "train+valid",
        ExcludeMode.All => "all",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    /// <summary>Parses a spelling (exact, lower case).</summary>
    public static bool TryParse(string? text, out ExcludeMode mode)
    {
        var at = text is null ? -1 : IndexOf(text);
        mode = at < 0 ? ExcludeMode.Train : (ExcludeMode)at;
        return at >= 0;
    }

    /// <summary>Parses a spelling or throws an <see cref="ArgumentException"/> listing the accepted ones.</summary>
    public static ExcludeMode Parse(string text) =>
        TryParse(text, out var mode) ? mode : throw new ArgumentException($"exclude must be one of {string.Join(", ", Names)} (got '{text}')");

    private static int IndexOf(string text)
    {
        for (var i = 0; i < Names.Count; i++)
        {
            if (string.Equals(Names[i], text, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
