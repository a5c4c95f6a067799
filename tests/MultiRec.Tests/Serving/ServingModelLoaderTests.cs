// Tests of loading a run folder for serving: dataset and id maps found via config.yaml, overrides, bad inputs.
using MultiRec.Data;
using MultiRec.Serving;

namespace MultiRec.Tests.Serving;

public class ServingModelLoaderTests
{
    [Fact]
    public void Load_ReadsEmbeddingsInteractionsAndIdMaps()
    {
        using var dir = TestPaths.NewTempDir();
        var run = ServingTestData.WriteRun(dir.Path, users: 60, items: 40, dims: 6);
        var data = Dataset.Load(Path.Combine(dir.Path, "data"), new DatasetLoadOptions { LoadFeatures = false });

        var model = ServingModelLoader.Load(run);

        Assert.Equal((60, 40, 6), (model.Users, model.Items, model.Dims));
        Assert.Equal(Path.GetFullPath(run), model.RunDirectory);
        Assert.Equal(data.Train.ItemIds, model.Excluded(ExcludeMode.Train)!.ItemIds);
        Assert.Equal(data.Train.Count + data.Valid.Count + data.Test.Count, model.Excluded(ExcludeMode.All)!.Count);
        Assert.Equal("U00017", model.UserIds.ExternalId(17));
        Assert.True(model.ItemIds.TryGetInternalId("B-0039", out var item));
        Assert.Equal(39, item);
    }

    [Fact]
    public void Load_WithoutMapsUsesInternalIdsAndHonoursExplicitMapFiles()
    {
        using var dir = TestPaths.NewTempDir();
        var run = ServingTestData.WriteRun(dir.Path, users: 30, items: 20, idMaps: false);
        Assert.True(ServingModelLoader.Load(run).UserIds.IsIdentity);

        var maps = Path.Combine(dir.Path, "maps");
        Directory.CreateDirectory(maps);
        ServingTestData.WriteIdMaps(maps, 30, 20);
        var model = ServingModelLoader.Load(run, new ServingLoadOptions
        {
            UserMapFile = Path.Combine(maps, IdMapFile.UserMapFileName),
            ItemMapFile = Path.Combine(maps, IdMapFile.ItemMapFileName),
        });

        Assert.Equal("U00003", model.UserIds.ExternalId(3));
        Assert.Equal("B-0019", model.ItemIds.ExternalId(19));
    }

    [Fact]
    public void Load_DataPathOverrideReplacesTheRunsDataset()
    {
        using var dir = TestPaths.NewTempDir();
        var run = ServingTestData.WriteRun(dir.Path, users: 30, items: 20);
        var moved = Path.Combine(dir.Path, "moved");
        Directory.Move(Path.Combine(dir.Path, "data"), moved);

        Assert.Throws<DataFormatException>(() => ServingModelLoader.Load(run));
        Assert.Equal(30, ServingModelLoader.Load(run, new ServingLoadOptions { DataPath = moved }).Users);
    }

    [Fact]
    public void Load_RejectsFoldersThatAreNotRunsAndMismatchedEmbeddings()
    {
        using var dir = TestPaths.NewTempDir();
        Assert.Contains("run.json and config.yaml are missing", Assert.Throws<DataFormatException>(() => ServingModelLoader.Load(dir.Path)).Message);

        var run = ServingTestData.WriteRun(dir.Path, users: 30, items: 20, dims: 4);
        NpyFile.Write(Path.Combine(run, "item_emb.npy"), new float[21 * 4], 21, 4);
        var rows = Assert.Throws<DataFormatException>(() => ServingModelLoader.Load(run));
        Assert.Contains("item_emb.npy", rows.Message);

        NpyFile.Write(Path.Combine(run, "item_emb.npy"), new float[20 * 5], 20, 5);
        var width = Assert.Throws<DataFormatException>(() => ServingModelLoader.Load(run));
        Assert.Contains("5 columns but user_emb.npy has 4", width.Message);
    }

    [Fact]
    public void Load_BadIdMapNamesItsFileAndLine()
    {
        using var dir = TestPaths.NewTempDir();
        var run = ServingTestData.WriteRun(dir.Path, users: 30, items: 20);
        var map = Path.Combine(dir.Path, "data", IdMapFile.ItemMapFileName);
        File.AppendAllText(map, "EXTRA\t20\n");

        var e = Assert.Throws<DataFormatException>(() => ServingModelLoader.Load(run));

        Assert.Equal(map, e.File);
        Assert.Equal(22, e.Line);
    }

    [SkippableFact]
    public void Load_BabyWithItsMmrecIdMaps()
    {
        var baby = TestPaths.RequireSharedDataset("baby");
        var maps = Path.Combine(baby, "source-mmrec-maps");
        Skip.IfNot(File.Exists(Path.Combine(maps, IdMapFile.UserMapFileName)), "baby has no source-mmrec-maps");
        using var dir = TestPaths.NewTempDir();
        var random = new Random(1);
        NpyFile.Write(Path.Combine(dir.Path, "user_emb.npy"), ServingTestData.RandomMatrix(19445, 4, random).AsSpan(), 19445, 4);
        NpyFile.Write(Path.Combine(dir.Path, "item_emb.npy"), ServingTestData.RandomMatrix(7050, 4, random).AsSpan(), 7050, 4);
        File.WriteAllText(Path.Combine(dir.Path, "config.yaml"), $"model: BM3\ndata_path: {baby}\n");

        var model = ServingModelLoader.Load(dir.Path, new ServingLoadOptions
        {
            UserMapFile = Path.Combine(maps, IdMapFile.UserMapFileName),
            ItemMapFile = Path.Combine(maps, IdMapFile.ItemMapFileName),
        });

        Assert.Equal("A1HK2FQW6KXQB2", model.UserIds.ExternalId(0));
        Assert.Equal("097293751X", model.ItemIds.ExternalId(0));
        Assert.Equal(118_551, model.Excluded(ExcludeMode.Train)!.Count);
    }
}
