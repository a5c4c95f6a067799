// System.Text.Json source generation for run.json (snake_case, indented): works in trimmed and native AOT apps.
using System.Text.Json.Serialization;

namespace MultiRec.Training;

/// <summary>Source-generated JSON of <see cref="RunManifest"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(RunManifest))]
internal sealed partial class RunManifestJsonContext : JsonSerializerContext;
