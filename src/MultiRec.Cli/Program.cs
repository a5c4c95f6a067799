// Entry point of the `multirec` command: builds the command tree and maps failures to exit codes.
using MultiRec.Cli;

return CliApp.Run(args, Console.Out, Console.Error);
