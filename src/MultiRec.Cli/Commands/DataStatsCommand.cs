// `multirec data stats --data DIR [--json]`: prints the statistics of a dataset folder.
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MultiRec.Data;

namespace MultiRec.Cli.Commands;

/// <summary>The `data stats` verb.</summary>
public static class DataStatsCommand
{
    public static Command Create()
    {
        var dataOption = new Option<string>("--data")
        {
            Description = "Dataset folder holding <name>.inter and optionally image_feat.npy / text_feat.npy.",
            Required = true,
        };
        var interOption = new Option<string?>("--inter")
        {
            Description = "Interaction file inside the folder when it holds several *.inter files (default: <folder name>.inter).",
        };
        var jsonOption = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var command = new Command("stats", "Print users, items, interactions, sparsity, split sizes and feature shapes.");
        command.Options.Add(dataOption);
        command.Options.Add(interOption);
        command.Options.Add(jsonOption);
        command.SetAction(parse =>
        {
            var stats = DatasetStatistics.Compute(parse.GetRequiredValue(dataOption), parse.GetValue(interOption));
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(jsonOption))
            {
                output.WriteLine(ToJson(stats));
            }
            else
            {
                WriteText(stats, output);
            }

            return CliApp.Success;
        });
        return command;
    }

    /// <summary>One JSON object: users, items, interactions, sparsity (percent, 4 decimals), train, valid, test,
    /// dropped_valid, dropped_test, features (modality → [rows, cols]), plus name and inter_file.</summary>
    public static string ToJson(DatasetStatistics stats)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("name", stats.Name);
            json.WriteString("inter_file", stats.InterFile);
            json.WriteNumber("users", stats.Users);
            json.WriteNumber("items", stats.Items);
            json.WriteNumber("interactions", stats.Interactions);
            json.WriteNumber("sparsity", stats.SparsityPercent);
            json.WriteNumber("train", stats.TrainRows);
            json.WriteNumber("valid", stats.ValidRows);
            json.WriteNumber("test", stats.TestRows);
            json.WriteNumber("dropped_valid", stats.DroppedValidRows);
            json.WriteNumber("dropped_test", stats.DroppedTestRows);
            json.WriteStartObject("features");
            foreach (var feature in stats.Features)
            {
                json.WriteStartArray(feature.Modality);
                json.WriteNumberValue(feature.Rows);
                json.WriteNumberValue(feature.Cols);
                json.WriteEndArray();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteText(DatasetStatistics stats, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine($"dataset       {stats.Name} ({stats.InterFile})");
        output.WriteLine(string.Create(c, $"users         {stats.Users:N0}"));
        output.WriteLine(string.Create(c, $"items         {stats.Items:N0}"));
        output.WriteLine(string.Create(c, $"interactions  {stats.Interactions:N0}"));
        output.WriteLine(string.Create(c, $"sparsity      {stats.SparsityPercent:F4}%"));
        output.WriteLine(string.Create(c, $"train         {stats.TrainRows:N0}"));
        output.WriteLine(string.Create(c, $"valid         {stats.ValidRows:N0} ({stats.DroppedValidRows:N0} dropped: user has no training row)"));
        output.WriteLine(string.Create(c, $"test          {stats.TestRows:N0} ({stats.DroppedTestRows:N0} dropped: user has no training row)"));
        if (stats.Features.Count == 0)
        {
            output.WriteLine("features      none");
        }

        foreach (var f in stats.Features)
        {
            output.WriteLine(string.Create(c, $"features      {f.Modality}: {f.Rows} x {f.Cols} {f.Dtype} ({Path.GetFileName(f.File)})"));
        }
    }
}
