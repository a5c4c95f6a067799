// Scores users x items in blocks of users (one GEMM per block) within a memory budget, reusing the buffers.
using MultiRec.Engine;

namespace MultiRec.Evaluation;

/// <summary>
/// Yields the dot-product scores of a list of users against every item, a block of users at a time:
/// block rows = users in the block, columns = items. The full users x items matrix is never held; the
/// block buffers are reused, so a yielded tensor is only valid until the next block is requested.
/// </summary>
internal static class ScoreBlocks
{
    /// <summary>Users per block so that a block of scores stays within maxBlockBytes (at least one user).</summary>
    public static int UsersPerBlock(int items, long maxBlockBytes, int userCount)
    {
        var bytesPerUser = Math.Max(1L, items * (long)sizeof(float));
        var rows = Math.Max(1L, maxBlockBytes / bytesPerUser);
        return (int)Math.Min(rows, Math.Max(1, userCount));
    }

    /// <summary>Blocks as (index of the block's first user in <paramref name="users"/>, user count, scores).</summary>
    public static IEnumerable<(int Start, int Count, Tensor Scores)> Enumerate(
        Tensor userEmbeddings, Tensor itemEmbeddings, int[] users, long maxBlockBytes)
    {
        var dims = userEmbeddings.Cols;
        var items = itemEmbeddings.Rows;
        var blockUsers = UsersPerBlock(items, maxBlockBytes, users.Length);
        var userBuffer = new float[blockUsers * dims];
        var scoreBuffer = TakeCached(checked(blockUsers * items));
        try
        {
            for (var start = 0; start < users.Length; start += blockUsers)
            {
                var count = Math.Min(blockUsers, users.Length - start);
                var userBlock = new Tensor(count, dims, userBuffer);
                for (var r = 0; r < count; r++)
                {
                    userEmbeddings.Row(users[start + r]).CopyTo(userBlock.Row(r));
                }

                var scores = new Tensor(count, items, scoreBuffer);
                Gemm.Multiply(userBlock, false, itemEmbeddings, true, scores);
                yield return (start, count, scores);
            }
        }
        finally
        {
            Interlocked.Exchange(ref _cachedScores, scoreBuffer);
        }
    }

    // One score buffer is kept between evaluations (training evaluates every epoch; a fresh block of up to
    // 64 MB each time would only grow the heap until the next full collection).
    private static float[]? _cachedScores;

    private static float[] TakeCached(int length)
    {
        var cached = Interlocked.Exchange(ref _cachedScores, null);
        return cached is not null && cached.Length >= length ? cached : new float[length];
    }
}
