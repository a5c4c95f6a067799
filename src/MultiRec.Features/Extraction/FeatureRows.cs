// The row count of a feature matrix: largest itemID + 1 or --item-count, bounded by the input's size.
using System.Globalization;
using MultiRec.Data;

namespace MultiRec.Features.Extraction;

/// <summary>Sizes the output of feature extraction before anything is allocated or encoded.</summary>
internal static class FeatureRows
{
    /// <summary>Largest itemID + 1, or <paramref name="requested"/> when given (which must hold every itemID);
    /// either is refused beyond <see cref="IdDensity.MaxSlots"/> of the <paramref name="lines"/> the input lists.</summary>
    public static int Resolve(string path, IEnumerable<int> itemIds, int lines, int? requested)
    {
        var maxId = itemIds.DefaultIfEmpty(-1).Max();
        var needed = maxId + 1L;
        IdDensity.Check(path, $"itemID {maxId}", needed, lines);
        if (requested is { } count)
        {
            if (count < needed)
            {
                throw new DataFormatException(path, $"itemID {maxId} does not fit an item count of {count}");
            }

            IdDensity.Check(path, $"--item-count {count.ToString(CultureInfo.InvariantCulture)}", count, lines);
            return count;
        }

        return (int)needed;
    }
}
