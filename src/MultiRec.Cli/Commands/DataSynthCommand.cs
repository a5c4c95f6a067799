// `multirec data synth --out DIR [...]`: writes a seeded synthetic catalog in MMRec format.
using System.CommandLine;
using MultiRec.Data;

namespace MultiRec.Cli.Commands;

/// <summary>The `data synth` verb. Option defaults are those of <see cref="SyntheticCatalogOptions"/>.</summary>
public static class DataSynthCommand
{
    public static Command Create()
    {
        var defaults = new SyntheticCatalogOptions();
        var outOption = new Option<string>("--out") { Description = "Folder to write <name>.inter, image_feat.npy and text_feat.npy into.", Required = true };
        var nameOption = new Option<string>("--name") { Description = "Dataset name (file <name>.inter).", DefaultValueFactory = _ => defaults.Name };
        var usersOption = new Option<int>("--users") { Description = "Number of users (each gets >= 5 items).", DefaultValueFactory = _ => defaults.Users };
        var itemsOption = new Option<int>("--items") { Description = "Number of items.", DefaultValueFactory = _ => defaults.Items };
        var interactionsOption = new Option<int>("--interactions") { Description = "Number of distinct user-item interactions.", DefaultValueFactory = _ => defaults.Interactions };
        var imageDimOption = new Option<int>("--image-dim") { Description = "Image feature dimension (0: no image_feat.npy).", DefaultValueFactory = _ => defaults.ImageDim };
        var textDimOption = new Option<int>("--text-dim") { Description = "Text feature dimension (0: no text_feat.npy).", DefaultValueFactory = _ => defaults.TextDim };
        var seedOption = new Option<int>("--seed") { Description = "Seed of every random draw, the split included.", DefaultValueFactory = _ => defaults.Seed };

        var command = new Command("synth", "Write a seeded synthetic catalog (interactions with the reference split, image and text features).");
        foreach (var option in new Option[] { outOption, nameOption, usersOption, itemsOption, interactionsOption, imageDimOption, textDimOption, seedOption })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var options = defaults with
            {
                Name = parse.GetRequiredValue(nameOption),
                Users = parse.GetValue(usersOption),
                Items = parse.GetValue(itemsOption),
                Interactions = parse.GetValue(interactionsOption),
                ImageDim = parse.GetValue(imageDimOption),
                TextDim = parse.GetValue(textDimOption),
                Seed = parse.GetValue(seedOption),
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }

            var outDir = parse.GetRequiredValue(outOption);
            var s = SyntheticCatalog.Write(outDir, options);
            var features = s.FeatureFiles.Count == 0 ? "no features" : string.Join(", ", s.FeatureFiles.Select(Path.GetFileName));
            parse.InvocationConfiguration.Output.WriteLine(
                $"wrote {options.Name} to {outDir}: {s.Users} users, {s.Items} items, {s.Interactions} interactions " +
                $"(train {s.TrainRows} / valid {s.ValidRows} / test {s.TestRows}), image dim {options.ImageDim}, text dim {options.TextDim}; {features}");
            return CliApp.Success;
        });
        return command;
    }
}
