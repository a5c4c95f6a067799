// Raised by command handlers for option combinations the parser cannot check (exit code 2).
namespace MultiRec.Cli;

/// <summary>A usage error found after parsing, e.g. an option value out of range.</summary>
public sealed class UsageException(string message) : Exception(message);
