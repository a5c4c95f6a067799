// Reads an embedded (manifest) resource out of a .NET assembly file without loading the assembly.
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace MultiRec.Features.Models;

/// <summary>
/// Extracts embedded resources from a .NET assembly on disk by reading its metadata. No code of
/// the assembly is loaded or run, so its own dependencies need not be present.
/// </summary>
public static class ManifestResourceReader
{
    /// <summary>The names of the resources embedded in <paramref name="assemblyPath"/>.</summary>
    public static IReadOnlyList<string> ListNames(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        return metadata.ManifestResources
            .Select(handle => metadata.GetString(metadata.GetManifestResource(handle).Name))
            .ToList();
    }

    /// <summary>The bytes of the embedded resource <paramref name="resourceName"/>.</summary>
    /// <exception cref="FileNotFoundException">The assembly has no such embedded resource.</exception>
    public static byte[] ReadAllBytes(string assemblyPath, string resourceName)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream, PEStreamOptions.PrefetchEntireImage);
        var metadata = pe.GetMetadataReader();
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            if (metadata.GetString(resource.Name) != resourceName)
            {
                continue;
            }

            if (!resource.Implementation.IsNil)
            {
                throw new InvalidDataException($"{assemblyPath}: resource '{resourceName}' lives in another file, not embedded");
            }

            var directory = pe.PEHeaders.CorHeader?.ResourcesDirectory
                ?? throw new InvalidDataException($"{assemblyPath}: not a .NET assembly");
            var block = pe.GetSectionData(directory.RelativeVirtualAddress);
            var reader = block.GetReader((int)resource.Offset, block.Length - (int)resource.Offset);
            var length = reader.ReadInt32();
            if (length < 0 || length > reader.RemainingBytes)
            {
                throw new InvalidDataException($"{assemblyPath}: resource '{resourceName}' has a corrupt length");
            }

            return reader.ReadBytes(length);
        }

        throw new FileNotFoundException($"{assemblyPath}: no embedded resource named '{resourceName}'", assemblyPath);
    }
}
