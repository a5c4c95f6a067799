// Raised when training produces a non-finite loss or parameter: names the epoch and step, and the checkpoint kept.
namespace MultiRec.Training;

/// <summary>Training diverged: the loss or a parameter became NaN or infinite. Nothing from the diverged step is
/// written; last.safetensors still holds the last good state. The CLI prints the message and exits 1.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
