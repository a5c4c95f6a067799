// The x_label values of a .inter file.
namespace MultiRec.Data;

/// <summary>Split labels as stored in the x_label column.</summary>
public static class SplitLabel
{
    /// <summary>Training row.</summary>
    public const byte Train = 0;

    /// <summary>Validation row.</summary>
    public const byte Valid = 1;

    /// <summary>Test row.</summary>
    public const byte Test = 2;

    /// <summary>True for 0, 1 and 2.</summary>
    public static bool IsValid(int label) => label is >= Train and <= Test;
}
