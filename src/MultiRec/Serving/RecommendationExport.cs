// `multirec export`: every user's top-K, ranked in parallel chunks and streamed to a file written atomically.
using System.Diagnostics;
using MultiRec.Data;
using MultiRec.Evaluation;

namespace MultiRec.Serving;

/// <summary>
/// Ranks all users with <see cref="TopKRanker"/> (blocked GEMM scoring, parallel top-K) a chunk at a time and
/// streams the results to disk while the next chunk is ranked, so memory holds two chunks of top-K lists and
/// one block of scores, never the users × items matrix. The file appears only when complete (temporary file,
/// then rename); a failed or cancelled export leaves any earlier file untouched.
/// </summary>
public static class RecommendationExport
{
    /// <summary>Bound on users × K per chunk (8 M entries, 64 MiB for ids and scores).</summary>
    private const int MaxChunkEntries = 8 << 20;

    /// <summary>Writes every user's top-K (users in internal id order) to <paramref name="path"/>.</summary>
    public static ExportSummary Write(
        ServingModel model, string path, ExportOptions? options = null, IProgress<ExportProgress>? progress = null, CancellationToken cancel = default)
    {
        options ??= new ExportOptions();
        options.Validate();
        var format = options.Format ?? ExportFormats.FromPath(path);
        var clock = Stopwatch.StartNew();
        using var file = new AtomicFile(path);
        var writer = ExportWriter.Create(format, file.Stream, model.ItemIds);
        writer.WriteHeader();
        var counts = Stream(model, writer, options, progress, cancel);
        file.Commit();
        return new ExportSummary(file.TargetPath, format, counts.Users, counts.Recommendations, counts.K, options.Exclude, clock.Elapsed);
    }

    /// <summary>Ranks every user (in internal id order) and hands each ranking to <paramref name="sink"/> on the
    /// calling thread while the next chunk is ranked. A cancelled token or a throwing sink stops it.</summary>
    public static ExportCounts Stream(
        ServingModel model, IRecommendationSink sink, ExportOptions? options = null, IProgress<ExportProgress>? progress = null, CancellationToken cancel = default)
    {
        options ??= new ExportOptions();
        options.Validate();
        var k = Math.Min(options.K, model.Items);
        var users = model.Users;
        var chunkUsers = Math.Min(Math.Min(options.ChunkUsers, MaxChunkEntries / k), Math.Max(1, users));
        var exclude = model.Excluded(options.Exclude);
        var chunks = new[] { new RankedChunk(chunkUsers, k), new RankedChunk(chunkUsers, k) };
        long written = 0;

        progress?.Report(new ExportProgress(0, users));
        var pending = users > 0 ? Task.Run(() => chunks[0].Rank(model, exclude, 0, chunkUsers), cancel) : null;
        for (var start = 0; pending is not null; start += chunkUsers)
        {
            var current = pending.GetAwaiter().GetResult();
            var nextStart = start + chunkUsers;
            var next = chunks[(nextStart / chunkUsers) % 2];
            pending = nextStart < users ? Task.Run(() => next.Rank(model, exclude, nextStart, Math.Min(chunkUsers, users - nextStart)), cancel) : null;
            try
            {
                written += current.WriteTo(sink, model.UserIds);
                progress?.Report(new ExportProgress(current.Start + current.Count, users));
                cancel.ThrowIfCancellationRequested();
            }
            catch
            {
                // Let the chunk being ranked finish before unwinding, so no work outlives the export.
                pending?.ContinueWith(_ => { }, TaskScheduler.Default).GetAwaiter().GetResult();
                throw;
            }
        }

        return new ExportCounts(users, written, k);
    }

    /// <summary>The top-K lists of one chunk of consecutive users.</summary>
    private sealed class RankedChunk(int capacity, int k)
    {
        private readonly int[] _users = new int[capacity];
        private readonly int[] _items = new int[capacity * k];
        private readonly float[] _scores = new float[capacity * k];

        public int Start { get; private set; }

        public int Count { get; private set; }

        public RankedChunk Rank(ServingModel model, UserItemCsr? exclude, int start, int count)
        {
            Start = start;
            Count = count;
            for (var i = 0; i < count; i++)
            {
                _users[i] = start + i;
            }

            TopKRanker.Rank(model.UserEmbeddings, model.ItemEmbeddings, _users.AsSpan(0, count), k, exclude, _items, _scores);
            return this;
        }

        /// <summary>Writes the chunk's users; returns the number of items written.</summary>
        public long WriteTo(IRecommendationSink writer, IdMap userIds)
        {
            long total = 0;
            for (var i = 0; i < Count; i++)
            {
                var items = _items.AsSpan(i * k, k);
                var valid = items.IndexOf(-1);
                var n = valid < 0 ? k : valid;
                writer.WriteUser(userIds.ExternalId(Start + i), items[..n], _scores.AsSpan(i * k, n));
                total += n;
            }

            return total;
        }
    }
}
