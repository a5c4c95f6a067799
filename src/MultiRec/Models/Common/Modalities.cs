// Which feature modalities a multimodal model uses: the `modalities` option (null = every feature file present).
using MultiRec.Data;

namespace MultiRec.Models.Common;

/// <summary>Resolves a model's `modalities` option against the dataset's feature files.</summary>
internal static class Modalities
{
    /// <summary>The modalities MultiRec knows, in the references' v/t order.</summary>
    public static readonly IReadOnlyList<string> Known = ["image", "text"];

    /// <summary>The modalities to use, image before text: every one present when <paramref name="requested"/> is
    /// null, else the requested ones (each must be known and present).</summary>
    public static IReadOnlyList<string> Select(Dataset data, IReadOnlyList<string>? requested)
    {
        if (requested is null)
        {
            return Known.Where(data.Features.ContainsKey).ToList();
        }

        foreach (var name in requested)
        {
            if (!Known.Contains(name))
            {
                throw new ArgumentException($"modalities: unknown modality '{name}' (image, text)");
            }

            if (!data.Features.ContainsKey(name))
            {
                throw new DataFormatException(data.Directory, $"modality '{name}' requested but {name}_feat.npy is not in the dataset folder");
            }
        }

        return Known.Where(requested.Contains).ToList();
    }
}
