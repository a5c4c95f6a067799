// Tests of the synthetic catalog: determinism, catalog invariants, split rule, feature shapes and signal, validation.
using MultiRec.Data;

namespace MultiRec.Tests.Data;

public class SyntheticCatalogTests
{
    private static readonly SyntheticCatalogOptions Small = new()
    {
        Name = "tiny",
        Users = 300,
        Items = 120,
        Interactions = 3000,
        ImageDim = 12,
        TextDim = 8,
        Seed = 7,
    };

    [Fact]
    public void Generate_IsDeterministicForASeed()
    {
        var a = SyntheticCatalog.Generate(Small);
        var b = SyntheticCatalog.Generate(Small);
        var c = SyntheticCatalog.Generate(Small with { Seed = 8 });

        Assert.Equal(a.Rows.Users, b.Rows.Users);
        Assert.Equal(a.Rows.Items, b.Rows.Items);
        Assert.Equal(a.Rows.Labels, b.Rows.Labels);
        Assert.Equal(a.ImageFeatures!.Values, b.ImageFeatures!.Values);
        Assert.Equal(a.TextFeatures!.Values, b.TextFeatures!.Values);
        Assert.NotEqual(a.Rows.Items, c.Rows.Items);
        Assert.NotEqual(a.TextFeatures.Values, c.TextFeatures!.Values);
    }

    [Fact]
    public void Generate_MeetsTheCatalogInvariantsAndTheSplitRule()
    {
        var rows = SyntheticCatalog.Generate(Small).Rows;

        Assert.Equal(Small.Interactions, rows.Count);
        Assert.Equal(rows.Count, rows.Users.Zip(rows.Items).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, Small.Items), rows.Items.Distinct().Order());
        for (var u = 0; u < Small.Users; u++)
        {
            var mine = Enumerable.Range(0, rows.Count).Where(n => rows.Users[n] == u).Select(n => rows.Labels[n]).ToArray();
            Assert.InRange(mine.Length, 5, Small.MaxItemsPerUser);
            Assert.Equal(PerUserSplit.Sizes(mine.Length), (mine.Count(l => l == 0), mine.Count(l => l == 1), mine.Count(l => l == 2)));
        }
    }

    [Fact]
    public void Generate_FeaturesHaveTheRightShapeAndForm()
    {
        var data = SyntheticCatalog.Generate(Small);
        var image = data.ImageFeatures!;
        var text = data.TextFeatures!;

        Assert.Equal((Small.Items, Small.ImageDim), (image.Rows, image.Cols));
        Assert.Equal((Small.Items, Small.TextDim), (text.Rows, text.Cols));
        Assert.All(image.Values, v => Assert.True(v >= 0 && float.IsFinite(v)));
        Assert.Contains(image.Values, v => v == 0);
        Assert.Contains(image.Values, v => v > 0);
        for (var i = 0; i < text.Rows; i++)
        {
            var norm = Math.Sqrt(text.Row(i).ToArray().Sum(v => (double)v * v));
            Assert.Equal(1.0, norm, 4);
        }
    }

    [Fact]
    public void Generate_FeaturesCarrySignalAboutWhoInteractsWithWhat()
    {
        var data = SyntheticCatalog.Generate(Small with { Users = 600, Interactions = 6000, ImageDim = 0, TextDim = 32 });
        var text = data.TextFeatures!;
        double Cosine(int i, int j) => Enumerable.Range(0, text.Cols).Sum(d => (double)text.Row(i)[d] * text.Row(j)[d]);

        var byUser = data.Rows.Users.Zip(data.Rows.Items).GroupBy(p => p.First, p => p.Second).Select(g => g.ToArray()).ToArray();
        var together = byUser.SelectMany(items => items.Skip(1).Select(j => Cosine(items[0], j))).Average();
        var random = new Random(1);
        var anyPair = Enumerable.Range(0, 5000).Select(_ => Cosine(random.Next(text.Rows), random.Next(text.Rows))).Average();

        Assert.True(together > anyPair + 0.1, $"items of one user: mean cosine {together:F3}; random pairs: {anyPair:F3}");
    }

    [Fact]
    public void Write_ProducesALoadableDatasetIdenticalToGenerate()
    {
        using var dir = TestPaths.NewTempDir();

        var summary = SyntheticCatalog.Write(dir.Path, Small);
        var dataset = Dataset.Load(dir.Path);
        var memory = SyntheticCatalog.Generate(Small);

        Assert.Equal(dir.File("tiny.inter"), summary.InterFile);
        Assert.Equal("tiny", dataset.Name);
        Assert.Equal((Small.Users, Small.Items, Small.Interactions), (dataset.Users, dataset.Items, dataset.InteractionCount));
        Assert.Equal((summary.TrainRows, summary.ValidRows, summary.TestRows), (dataset.Train.Count, dataset.Valid.Count, dataset.Test.Count));
        Assert.Equal(Small.Interactions, summary.TrainRows + summary.ValidRows + summary.TestRows);
        Assert.Equal(memory.Rows.Items, InterFile.Read(summary.InterFile).Items);
        Assert.Equal(memory.ImageFeatures!.Values, dataset.ImageFeatures!.Values);
        Assert.Equal(memory.TextFeatures!.Values, dataset.TextFeatures!.Values);
        Assert.Equal(2, summary.FeatureFiles.Count);
        Assert.Equal(3, Directory.GetFiles(dir.Path).Length);
    }

    [Fact]
    public void Write_ZeroDimensionOmitsThatModalityAndRemovesAStaleFile()
    {
        using var dir = TestPaths.NewTempDir();
        SyntheticCatalog.Write(dir.Path, Small);

        var summary = SyntheticCatalog.Write(dir.Path, Small with { ImageDim = 0 });

        Assert.False(File.Exists(dir.File(DatasetFiles.ImageFeatureFile)));
        Assert.Equal([dir.File(DatasetFiles.TextFeatureFile)], summary.FeatureFiles);
        var dataset = Dataset.Load(dir.Path);
        Assert.Null(dataset.ImageFeatures);
        Assert.NotNull(dataset.TextFeatures);
    }

    [Fact]
    public void UserActivity_SumsExactlyAndRespectsBounds()
    {
        var options = Small with { Users = 1000, Items = 40, Interactions = 19_000 };

        var counts = SyntheticInteractions.UserActivity(options);

        Assert.Equal(options.Interactions, counts.Sum());
        Assert.All(counts, n => Assert.InRange(n, 5, 20));
    }

    [Theory]
    [InlineData("users", 0, 100, 1000)]
    [InlineData("items must be at least 10", 10, 9, 100)]
    [InlineData("at least 5 x users = 500", 100, 100, 499)]
    [InlineData("at least items = 300", 10, 300, 299)]
    [InlineData("at most users x floor(items / 2) = 550", 10, 111, 551)]
    public void Validate_RejectsImpossibleShapes(string fault, int users, int items, int interactions)
    {
        var options = new SyntheticCatalogOptions { Users = users, Items = items, Interactions = interactions };

        var e = Assert.Throws<ArgumentException>(() => SyntheticCatalog.Generate(options));
        Assert.Contains(fault, e.Message);
    }

    [Fact]
    public void Validate_RejectsBadSettings()
    {
        Assert.Contains("name", Assert.Throws<ArgumentException>(() => (Small with { Name = "a/b" }).Validate()).Message);
        Assert.Contains("feature dimensions", Assert.Throws<ArgumentException>(() => (Small with { TextDim = -1 }).Validate()).Message);
        Assert.Contains("latent dimension", Assert.Throws<ArgumentException>(() => (Small with { LatentDim = 0 }).Validate()).Message);
        Assert.Contains("topics", Assert.Throws<ArgumentException>(() => (Small with { Topics = 121 }).Validate()).Message);
        Assert.Contains("popularity", Assert.Throws<ArgumentException>(() => (Small with { PopularityExponent = double.NaN }).Validate()).Message);
        Assert.Contains("tail index", Assert.Throws<ArgumentException>(() => (Small with { ActivityTailIndex = 0 }).Validate()).Message);
        Assert.Contains("noise", Assert.Throws<ArgumentException>(() => (Small with { FeatureNoise = -1 }).Validate()).Message);
        new SyntheticCatalogOptions().Validate();
    }
}
