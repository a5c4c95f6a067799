// Names that become file names: only plain names (no separators, not '.' or '..', no invalid characters).
namespace MultiRec.Data;

/// <summary>The rule for a user-given name turned into a file name (dataset names, grid point folders): a single
/// path component, so the file lands in the folder it is meant for.</summary>
public static class PlainFileName
{
    /// <summary>True for a non-empty name of at most 200 characters without '/', '\', control or invalid file-name
    /// characters, that is not "." or "..".</summary>
    public static bool IsPlain(string? name) =>
        !string.IsNullOrWhiteSpace(name) && name.Length <= 200 && name is not ("." or "..")
        && name.IndexOfAny(Path.GetInvalidFileNameChars()) < 0 && !name.Contains('/') && !name.Contains('\\') && !name.Any(char.IsControl);

    /// <summary>Throws an <see cref="ArgumentException"/> naming <paramref name="what"/> unless the name is plain.</summary>
    public static string Require(string? name, string what) =>
        IsPlain(name) ? name! : throw new ArgumentException($"{what} '{name}' must be a plain file name (no '/', '\\', '..' or control characters)");
}
