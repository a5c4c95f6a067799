// A small synthetic catalog on which ranking metrics discriminate, for the training-level tests.
using MultiRec.Data;

namespace MultiRec.Tests;

/// <summary>
/// The <c>discriminating</c> catalog: 400 users, 150 items (more than the largest cut-off, 50), 8,000 interactions,
/// 16-d image and 8-d text features. Unlike the 10-item <c>fixtures/bm3/tiny</c> set, where Recall@20 is 1.0 for
/// any model, its metrics separate models and epochs: with <see cref="Fast"/> settings the valid Recall@20 climbs
/// for dozens of epochs with dips along the way, so the best epoch is neither the first nor, under a short
/// patience, the last. Written once per test process (the generator is deterministic) and deleted at exit.
/// </summary>
public static class TestCatalogs
{
    private static readonly Lazy<string> Folder = new(Write);

    /// <summary>Settings that make an epoch take a few hundredths of a second on one thread.</summary>
    public static readonly string[] Fast = ["embedding_size=16", "train_batch_size=512", "learning_rate=0.01", "threads=1"];

    /// <summary>The catalog's dataset folder.</summary>
    public static string Discriminating => Folder.Value;

    /// <summary>Training steps per epoch of the catalog under <see cref="Fast"/> (batches of 512 training rows).</summary>
    public static int StepsPerEpoch => (Dataset.Load(Discriminating, new DatasetLoadOptions { LoadFeatures = false }).TrainUsers.Length + 511) / 512;

    private static string Write()
    {
        var root = Path.Combine(Path.GetTempPath(), "multirec-test-catalog-" + Guid.NewGuid().ToString("N")[..12]);
        var folder = Path.Combine(root, "discriminating");
        SyntheticCatalog.Write(folder, new SyntheticCatalogOptions
        {
            Name = "discriminating",
            Users = 400,
            Items = 150,
            Interactions = 8_000,
            ImageDim = 16,
            TextDim = 8,
        });
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return folder;
    }
}
