// Model checkpoints: parameters under their reference state_dict names, optionally with Adam moments and metadata.
using MultiRec.Data;
using MultiRec.Models;

namespace MultiRec.Training.Checkpoints;

/// <summary>Saves and loads model parameters (and optimizer state) as safetensors.</summary>
internal static class Checkpoint
{
    /// <summary>Writes the parameters, the optimizer state when given, and metadata, atomically.</summary>
    public static void Save(string path, IReadOnlyList<ModelParameter> parameters, AdamOptimizer? optimizer, IReadOnlyDictionary<string, string>? metadata, IEnumerable<NamedTensor>? state = null)
    {
        var tensors = parameters.Select(p => new NamedTensor(p.Name, p.Shape, p.Value)).ToList();
        tensors.AddRange(state ?? []);
        var meta = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (optimizer is not null)
        {
            tensors.AddRange(optimizer.ExportTensors());
            meta["optimizer_step"] = optimizer.StepCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        SafeTensorsFile.Write(path, tensors, meta);
    }

    /// <summary>Copies tensors of a checkpoint into the parameters by name. Shapes must agree; with
    /// <paramref name="requireAll"/>, every parameter must be present. Extra tensors (optimizer.*) are ignored.</summary>
    public static int LoadParameters(SafeTensorsFile file, IReadOnlyList<ModelParameter> parameters, string path, bool requireAll)
    {
        var loaded = 0;
        foreach (var p in parameters)
        {
            var t = file.Find(p.Name);
            if (t is null)
            {
                if (requireAll)
                {
                    throw new DataFormatException(path, $"parameter '{p.Name}' is missing");
                }

                continue;
            }

            if (t.Value.Length != p.Value.Length || !t.Shape.SequenceEqual(p.Shape))
            {
                throw new DataFormatException(path, $"parameter '{p.Name}' has shape [{string.Join(", ", t.Shape)}], the model expects [{string.Join(", ", p.Shape)}]");
            }

            t.Value.AsSpan().CopyTo(p.Value.AsSpan());
            loaded++;
        }

        return loaded;
    }
}
