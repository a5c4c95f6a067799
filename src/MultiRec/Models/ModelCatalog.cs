// The models MultiRec can train: one line per model (name, options record, factory, summary). `--model` validation,
// `--help`, the configuration schema and the default model all read this list.
using MultiRec.Config;
using MultiRec.Data;
using MultiRec.Models.BprMf;
using MultiRec.Models.Buir;
using MultiRec.Models.DualGnn;
using MultiRec.Models.Freedom;
using MultiRec.Models.Grcn;
using MultiRec.Models.Lattice;
using MultiRec.Models.LightGcn;
using MultiRec.Models.Mmgcn;
using MultiRec.Models.SlmRec;
using MultiRec.Models.Vbpr;

namespace MultiRec.Models;

/// <summary>One model of the catalog.</summary>
/// <param name="Name">Canonical name, as --model accepts it (case-insensitive) and configs/model/&lt;Name&gt;.yaml names it.</param>
/// <param name="OptionsType">The options record whose keys the model's configuration holds.</param>
/// <param name="Summary">One line for --help and the README.</param>
/// <param name="Create">Builds a freshly initialised model from a dataset, the resolved configuration and the run seed.</param>
internal sealed record ModelEntry(string Name, Type OptionsType, string Summary, Func<Dataset, ResolvedConfig, int, IRecommenderModel> Create);

/// <summary>The catalog of trainable models.</summary>
internal static class ModelCatalog
{
    /// <summary>The model trained when --model is not given.</summary>
    public const string Default = "BM3";

    /// <summary>Every model, in the order listed by --help.</summary>
    public static IReadOnlyList<ModelEntry> Entries { get; } =
    [
        Entry<Bm3Options>("BM3", (d, o, s) => new Bm3(d, o, s), "bootstrapped multimodal CF, negative-free (WWW'23)"),
        Entry<BprOptions>("BPR", (d, o, s) => new Bpr(d, o, s), "matrix factorisation with the BPR loss (UAI'09)"),
        Entry<LightGcnOptions>("LightGCN", (d, o, s) => new LightGcn.LightGcn(d, o, s), "graph CF, mean of propagated layers, BPR loss (SIGIR'20)"),
        Entry<VbprOptions>("VBPR", (d, o, s) => new Vbpr.Vbpr(d, o, s), "MF whose item vectors carry a projection of the raw features (AAAI'16)"),
        Entry<BuirOptions>("BUIR", (d, o, s) => new Buir.Buir(d, o, s), "negative-free bootstrap of a LightGCN encoder, momentum target (SIGIR'21)"),
        Entry<FreedomOptions>("FREEDOM", (d, o, s) => new Freedom.Freedom(d, o, s), "frozen item kNN graph + degree-pruned user-item graph, BPR (MM'23)"),
        Entry<LatticeOptions>("LATTICE", (d, o, s) => new Lattice.Lattice(d, o, s), "learned + frozen item kNN graphs over trainable features, LightGCN, BPR (MM'21)"),
        Entry<SlmRecOptions>("SLMRec", (d, o, s) => new SlmRec.SlmRec(d, o, s), "LightGCN views of ID, image and text, in-batch InfoNCE + FAC self-supervision (TMM'22)"),
        Entry<DualGnnOptions>("DualGNN", (d, o, s) => new DualGnn.DualGnn(d, o, s), "per-modality GCNs fused per user + sampled user co-occurrence graph (TMM'21)"),
        Entry<MmgcnOptions>("MMGCN", (d, o, s) => new Mmgcn.Mmgcn(d, o, s), "one mean-aggregation GCN per modality with untrained ID and preference inputs, BPR (MM'19)"),
        Entry<GrcnOptions>("GRCN", (d, o, s) => new Grcn.Grcn(d, o, s), "attention-refined user-item graph weighting an ID GCN, concatenated with per-modality content graphs (MM'20)"),
    ];

    /// <summary>Model names, as accepted by --model.</summary>
    public static IReadOnlyList<string> Names { get; } = Entries.Select(e => e.Name).ToList();

    /// <summary>"BM3 (…), BPR (…)": the catalog in one line for messages and --help.</summary>
    public static string Listing => string.Join("; ", Entries.Select(e => $"{e.Name}: {e.Summary}"));

    /// <summary>The entry of a model name (case-insensitive), or an error listing the catalog.</summary>
    public static ModelEntry Find(string name) =>
        Entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ConfigException("--model", $"unknown model '{name}' (known: {string.Join(", ", Names)})");

    /// <summary>Canonical spelling of a model name, or an error listing the known ones.</summary>
    public static string Canonical(string name) => Find(name).Name;

    /// <summary>The options records whose keys the model's configuration may hold.</summary>
    public static Type OptionsType(string name) => Find(name).OptionsType;

    /// <summary>Builds a freshly initialised model.</summary>
    public static IRecommenderModel Create(string name, Dataset data, ResolvedConfig config, int seed) => Find(name).Create(data, config, seed);

    private static ModelEntry Entry<TOptions>(string name, Func<Dataset, TOptions, int, IRecommenderModel> factory, string summary)
        where TOptions : new() =>
        new(name, typeof(TOptions), summary, (data, config, seed) => factory(data, config.Bind<TOptions>(), seed));
}
