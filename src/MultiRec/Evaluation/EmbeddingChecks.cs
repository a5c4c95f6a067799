// Argument checks shared by the evaluator and the ranker: embedding widths and CSR shapes must agree.
using MultiRec.Data;
using MultiRec.Engine;

namespace MultiRec.Evaluation;

/// <summary>Shape checks between user/item embedding matrices and user x item CSRs.</summary>
internal static class EmbeddingChecks
{
    /// <summary>User and item embeddings must have the same number of columns.</summary>
    public static void RequireSameWidth(Tensor userEmbeddings, Tensor itemEmbeddings)
    {
        if (userEmbeddings.Cols != itemEmbeddings.Cols)
        {
            throw new ArgumentException(
                $"user embeddings are {userEmbeddings.Rows}x{userEmbeddings.Cols} but item embeddings are {itemEmbeddings.Rows}x{itemEmbeddings.Cols}: widths differ");
        }
    }

    /// <summary>A CSR must span exactly the embedded items and no more users than are embedded.</summary>
    public static void RequireMatches(UserItemCsr csr, Tensor userEmbeddings, Tensor itemEmbeddings, string name)
    {
        if (csr.Items != itemEmbeddings.Rows)
        {
            throw new ArgumentException($"{name} has {csr.Items} items but there are {itemEmbeddings.Rows} item embeddings", name);
        }

        if (csr.Users > userEmbeddings.Rows)
        {
            throw new ArgumentException($"{name} has {csr.Users} users but there are only {userEmbeddings.Rows} user embeddings", name);
        }
    }
}
