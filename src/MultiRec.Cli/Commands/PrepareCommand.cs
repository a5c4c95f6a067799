// `multirec data prepare`: ratings CSV/TSV → dataset folder (<name>.inter, u_id_mapping.csv, i_id_mapping.csv).
using System.CommandLine;
using MultiRec.Data.Preparation;

namespace MultiRec.Cli.Commands;

/// <summary>The `data prepare` verb.</summary>
public static class PrepareCommand
{
    public static Command Create()
    {
        var defaults = new PrepareOptions();
        var ratings = new Option<FileInfo>("--ratings") { Description = "Ratings file, CSV or TSV: user, item, rating, timestamp.", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Dataset folder to write.", Required = true };
        var name = new Option<string?>("--name") { Description = "Dataset name, file <name>.inter (default: the folder's name)." };
        var core = new Option<int>("--core") { Description = "k of the iterative k-core on users and items.", DefaultValueFactory = _ => defaults.Core };
        var seed = new Option<int>("--seed") { Description = "Seed of the random per-user split.", DefaultValueFactory = _ => defaults.Seed };
        var splitBy = new Option<string>("--split-by") { Description = "random (the reference's rule) or time (most recent → test).", DefaultValueFactory = _ => "random" };
        splitBy.AcceptOnlyFromAmong("random", "time");
        var delimiter = new Option<string?>("--delimiter") { Description = "tab, comma, semicolon or one character (default: detected from the first line)." };
        var noHeader = new Option<bool>("--no-header") { Description = "The file has no header: columns are user, item, rating, timestamp." };
        var userColumn = new Option<string?>("--user-col") { Description = "User column name (default: user_id, userID, user or reviewerID)." };
        var itemColumn = new Option<string?>("--item-col") { Description = "Item column name (default: item_id, itemID, item, asin or parent_asin)." };
        var timeColumn = new Option<string?>("--time-col") { Description = "Timestamp column name (default: timestamp, unixReviewTime or time)." };
        var command = new Command("prepare", "Build a dataset folder from ratings: dedupe, k-core, re-index, per-user split.")
        {
            ratings, output, name, core, seed, splitBy, delimiter, noHeader, userColumn, itemColumn, timeColumn,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(name) is { } given && !MultiRec.Data.PlainFileName.IsPlain(given))
            {
                throw new UsageException($"--name '{given}' must be a plain file name (no '/', '\\', '..' or control characters): it names <name>.inter inside --out");
            }

            var options = new PrepareOptions
            {
                Name = parse.GetValue(name),
                Core = parse.GetValue(core) >= 1 ? parse.GetValue(core) : throw new UsageException("--core must be at least 1"),
                Seed = parse.GetValue(seed),
                Split = parse.GetValue(splitBy) == "time" ? SplitMethod.Time : SplitMethod.Random,
                Format = new RatingsFormat
                {
                    Delimiter = ParseDelimiter(parse.GetValue(delimiter)),
                    HasHeader = !parse.GetValue(noHeader),
                    UserColumn = parse.GetValue(userColumn),
                    ItemColumn = parse.GetValue(itemColumn),
                    TimeColumn = parse.GetValue(timeColumn),
                },
            };
            var report = DatasetPreparation.Run(parse.GetRequiredValue(ratings).FullName, parse.GetRequiredValue(output).FullName, options);
            var console = parse.InvocationConfiguration.Output;
            console.WriteLine($"read {report.RowsRead} rows: dropped {report.DroppedIncomplete} incomplete, {report.DroppedDuplicates} repeated (user, item), {report.DroppedByCore} by the {options.Core}-core");
            console.WriteLine($"wrote {report.InterPath}: {report.Users} users, {report.Items} items, train {report.Train} / valid {report.Valid} / test {report.Test}");
            return CliApp.Success;
        });
        return command;
    }

    private static char? ParseDelimiter(string? value) => value switch
    {
        null => null,
        "tab" or "\\t" => '\t',
        "comma" => ',',
        "semicolon" => ';',
        { Length: 1 } => value[0],
        _ => throw new UsageException($"--delimiter '{value}': use tab, comma, semicolon or a single character"),
    };
}
