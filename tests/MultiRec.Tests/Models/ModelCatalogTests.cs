// The catalog and the shipped configs per model: each configs/model/<M>.yaml equals its options record's defaults and
// documents every key; each grid resolves; no dataset layer leaks one model's keys into another; --model errors
// list the catalog.
using System.Reflection;
using MultiRec.Config;
using MultiRec.Models;
using MultiRec.Training;

namespace MultiRec.Tests.Models;

public class ModelCatalogTests
{
    public static TheoryData<string> Models => new(ModelCatalog.Names);

    [Fact]
    public void Names_AreUnique_AndTheDefaultIsInTheCatalog()
    {
        Assert.Equal(ModelCatalog.Names.Count, ModelCatalog.Names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Contains(ModelCatalog.Default, ModelCatalog.Names);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void ModelYaml_EqualsTheOptionsRecordsDefaults_AndDocumentsEveryKey(string model)
    {
        var entry = ModelCatalog.Find(model);
        var layer = DefaultConfigs.TryLoad($"model/{entry.Name}.yaml");
        Assert.NotNull(layer);
        var schema = new ConfigSchema(entry.OptionsType);
        // A model yaml may also set training keys where its reference trains differently (SLMRec: weight_decay).
        var training = new ConfigSchema(typeof(TrainingOptions)).Keys.Select(k => k.Name).ToHashSet();
        var modelLayer = new ConfigLayer(layer.Source, layer.Values.Where(kv => !training.Contains(kv.Key)).ToDictionary());
        Assert.Equal(schema.Keys.Select(k => k.Name).Order(), modelLayer.Values.Keys.Order());
        var bound = typeof(ResolvedConfig).GetMethod(nameof(ResolvedConfig.Bind))!.MakeGenericMethod(entry.OptionsType)
            .Invoke(ResolvedConfig.Resolve(schema, [modelLayer]), null);
        var defaults = Activator.CreateInstance(entry.OptionsType);
        foreach (var p in entry.OptionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var (ours, theirs) = (p.GetValue(bound), p.GetValue(defaults));
            if (ours is System.Collections.IEnumerable a && theirs is System.Collections.IEnumerable b && ours is not string)
            {
                Assert.Equal(b.Cast<object>(), a.Cast<object>());
            }
            else
            {
                Assert.True(Equals(ours, theirs), $"{entry.Name}.{p.Name}: yaml {ours}, record default {theirs}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void GridYaml_ResolvesToAxesOfKnownKeys(string model)
    {
        var grid = DefaultConfigs.TryLoad($"grid/{model}.yaml");
        Assert.NotNull(grid);
        var config = ConfigBuilder.Build(TrainingSession.SchemaFor(model), model, "baby", null, [], gridFile: grid, allowAxes: true);
        Assert.NotEmpty(config.GridAxes());
        Assert.All(GridSearch.Combinations(config.GridAxes()), point => config.With(point).Bind<TrainingOptions>());
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void EveryShippedDatasetLayer_ResolvesForEveryModel(string model)
    {
        // Dataset layers hold dataset keys only: another model's keys there would be "unknown key" errors.
        foreach (var name in DefaultConfigs.Names().Where(n => n.StartsWith("dataset/", StringComparison.Ordinal)))
        {
            var dataset = Path.GetFileNameWithoutExtension(name);
            var config = ConfigBuilder.Build(TrainingSession.SchemaFor(model), model, dataset, null, []);
            Assert.Contains($"configs/dataset/{dataset}.yaml", config.Sources);
        }
    }

    [Fact]
    public void UnknownModel_ErrorListsTheCatalog()
    {
        var e = Assert.Throws<ConfigException>(() => ModelCatalog.Find("NoSuchModel"));
        Assert.All(ModelCatalog.Names, n => Assert.Contains(n, e.Message));
        Assert.Equal("LightGCN", ModelCatalog.Canonical("lightgcn"));
    }
}
