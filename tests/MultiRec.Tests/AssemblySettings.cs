// Test classes run one after another: ComputeSettings.Threads is process-wide and some tests set it, and
// determinism/resume tests compare runs bit for bit. The kernels still use every core inside each test.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
