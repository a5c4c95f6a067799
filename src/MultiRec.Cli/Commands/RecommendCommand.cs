// `multirec recommend --run DIR --user ID | --item ID [--k 10] [--exclude train] [--json]`.
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MultiRec.Serving;

namespace MultiRec.Cli.Commands;

/// <summary>The `recommend` verb: one user's top-K, or the items most similar to one item, through the library API
/// (<see cref="RecommenderRun"/>).</summary>
public static class RecommendCommand
{
    public static Command Create()
    {
        var run = new RunModelOptions();
        var user = new Option<string?>("--user") { Description = "User id: the original id when the dataset has u_id_mapping.csv, the internal id otherwise." };
        var item = new Option<string?>("--item") { Description = "Item id (original or internal, as for --user): list the most similar items (cosine of item embeddings) instead." };
        var k = new Option<int>("--k") { Description = "Number of items.", DefaultValueFactory = _ => 10 };
        var exclude = RunModelOptions.Exclude("The user's interactions removed from the candidates: none, train (the evaluation protocol), train+valid, or all.");
        var json = new Option<bool>("--json") { Description = "Print one JSON object, the same as the HTTP API returns." };
        var cmd = new Command("recommend", "Top-K items for a user (or similar items for an item) from a run's scoring embeddings.") { user, item, k, exclude, json };
        run.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            var userId = parse.GetValue(user);
            var itemId = parse.GetValue(item);
            if ((userId is null) == (itemId is null))
            {
                throw new UsageException("give exactly one of --user ID or --item ID");
            }

            var topK = parse.GetValue(k);
            if (topK < 1)
            {
                throw new UsageException($"--k must be at least 1 (got {topK})");
            }

            var api = run.LoadRun(parse);
            var model = api.Model;
            var output = parse.InvocationConfiguration.Output;
            var asJson = parse.GetValue(json);
            if (userId is not null)
            {
                var mode = ExcludeModes.Parse(parse.GetValue(exclude)!);
                var result = api.Recommend(ExternalId(model.UserIds, userId, "user"), topK, mode);
                if (asJson)
                {
                    output.WriteLine(JsonSerializer.Serialize(result, ServingJsonContext.Default.UserRecommendations));
                }
                else
                {
                    output.WriteLine($"user {result.UserId}: top {result.Items.Length} of {api.Info.Items} items (excluded: {Excluded(mode)})");
                    WriteTable(output, result.Items);
                }
            }
            else
            {
                var result = api.Similar(ExternalId(model.ItemIds, itemId!, "item"), topK);
                if (asJson)
                {
                    output.WriteLine(JsonSerializer.Serialize(result, ServingJsonContext.Default.SimilarItems));
                }
                else
                {
                    output.WriteLine($"item {result.ItemId}: {result.Items.Length} most similar items (cosine)");
                    WriteTable(output, result.Items);
                }
            }

            return CliApp.Success;
        });
        return cmd;
    }

    /// <summary>The id itself when known; otherwise an error saying which ids the run knows.</summary>
    private static string ExternalId(IdMap ids, string id, string what) =>
        ids.TryGetInternalId(id, out _)
            ? id
            : throw new ArgumentException(ids.IsIdentity
                ? $"unknown {what} '{id}': the dataset has no id map, so {what} ids are internal ids 0..{ids.Count - 1}"
                : $"unknown {what} '{id}' (not in {ids.Source})");

    private static string Excluded(ExcludeMode mode) => mode switch
    {
        ExcludeMode.None => "nothing",
        ExcludeMode.Train => "training items",
        ExcludeMode.TrainValid => "training and validation items",
        _ => "training, validation and test items",
    };

    private static void WriteTable(TextWriter output, ItemScore[] items)
    {
        var width = Math.Max(4, items.Length == 0 ? 0 : items.Max(i => i.ItemId.Length));
        output.WriteLine($"rank  {"item".PadRight(width)}  score");
        for (var r = 0; r < items.Length; r++)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r + 1,4}  {items[r].ItemId.PadRight(width)}  {items[r].Score:F6}"));
        }
    }
}
