// Options shared by recommend, export and serve: the run folder to load and optional overrides of its files.
using System.CommandLine;
using MultiRec.Serving;

namespace MultiRec.Cli.Commands;

/// <summary>--run, --data, --user-map, --item-map and --exclude, and loading the model they name.</summary>
internal sealed class RunModelOptions
{
    public Option<string> Run { get; } = new("--run") { Description = "Run folder written by `multirec train` (config.yaml, user_emb.npy, item_emb.npy).", Required = true };

    public Option<string?> Data { get; } = new("--data") { Description = "Dataset folder to use instead of the run's data_path." };

    public Option<string?> UserMap { get; } = new("--user-map") { Description = "User id map (MMRec u_id_mapping.csv format) instead of the dataset's u_id_mapping.csv." };

    public Option<string?> ItemMap { get; } = new("--item-map") { Description = "Item id map (MMRec i_id_mapping.csv format) instead of the dataset's i_id_mapping.csv." };

    /// <summary>--exclude none|train|train+valid|all with the given description; default train.</summary>
    public static Option<string> Exclude(string description)
    {
        var option = new Option<string>("--exclude") { Description = description, DefaultValueFactory = _ => "train" };
        option.AcceptOnlyFromAmong([.. ExcludeModes.Names]);
        return option;
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Run);
        command.Options.Add(Data);
        command.Options.Add(UserMap);
        command.Options.Add(ItemMap);
    }

    /// <summary>The run opened through the library API (<see cref="RecommenderRun"/>).</summary>
    public RecommenderRun LoadRun(ParseResult parse) => RecommenderRun.Load(parse.GetRequiredValue(Run), LoadOptions(parse));

    /// <summary>The run as the HTTP server holds it: reloadable from the same folder.</summary>
    public MultiRec.AspNetCore.ReloadableRecommender LoadReloadable(ParseResult parse) =>
        MultiRec.AspNetCore.ReloadableRecommender.Open(parse.GetRequiredValue(Run), LoadOptions(parse));

    private ServingLoadOptions LoadOptions(ParseResult parse) => new()
    {
        DataPath = parse.GetValue(Data),
        UserMapFile = parse.GetValue(UserMap),
        ItemMapFile = parse.GetValue(ItemMap),
    };
}
