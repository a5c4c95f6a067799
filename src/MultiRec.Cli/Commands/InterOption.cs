// The --inter option of the verbs that read a dataset folder for training: another split file of the same catalog.
using System.CommandLine;

namespace MultiRec.Cli.Commands;

/// <summary>Creates the --inter option shared by train, grid and bench.</summary>
internal static class InterOption
{
    public static Option<string?> Create() => new("--inter")
    {
        Description = "Interaction file inside --data to read instead of the folder's own, e.g. baby.mmhcl-split.inter "
            + "(the dataset keeps the folder's name, and so its configs/dataset layer).",
    };
}
