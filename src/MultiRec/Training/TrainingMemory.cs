// When training hands memory back: a young-generation collection after each step, and at each evaluation the
// training buffers released before it and its garbage after it, so the resident set does not grow with the run.
namespace MultiRec.Training;

/// <summary>
/// A training step allocates a few hundred KiB of short-lived bookkeeping (task-parallel loops, tape nodes,
/// index arrays) and an evaluation a few MiB of large arrays. The runtime sizes its young-generation budget from
/// the L3 cache (tens of MiB on machines that report a large L3) and frees large arrays only in full collections,
/// so left alone the resident set grows by about 30 MiB per epoch on the Baby shape before anything is collected.
/// A young-generation collection with almost nothing alive costs a fraction of a millisecond against a step of
/// tens of milliseconds; a full one per epoch costs a few milliseconds, because the big tensors hold no references.
/// Training and evaluation also take turns with memory: before an evaluation the model's step buffers are released
/// and collected, so the evaluation reuses that memory instead of adding its own on top.
/// `multirec bench` reports the total GC pause time.
/// </summary>
internal static class TrainingMemory
{
    /// <summary>Once the model is built, before the optimizer allocates its moments: what construction left behind
    /// (file buffers of the feature tables, FREEDOM's normalised copy of them for the kNN graph) goes back first, so
    /// the moments reuse that memory instead of raising the peak by its size.</summary>
    public static void AfterModelBuilt()
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    /// <summary>After each optimizer step.</summary>
    public static void AfterStep() => GC.Collect(0, GCCollectionMode.Forced, blocking: true);

    /// <summary>Before an evaluation: the model's training buffers go back to the collector.</summary>
    public static void BeforeEvaluation(Models.IRecommenderModel model)
    {
        model.ReleaseStepBuffers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
    }

    /// <summary>After each epoch's evaluation.</summary>
    public static void AfterEpoch() => GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
}
