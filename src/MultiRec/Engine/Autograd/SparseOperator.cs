// A constant sparse matrix for graph propagation, with its transpose built once for the backward pass.
namespace MultiRec.Engine.Autograd;

/// <summary>
/// Wraps a constant CSR matrix Â used in <see cref="Tape.SparseMultiply"/>. The backward pass needs Âᵀ:
/// when <see cref="IsSymmetric"/> (the normalised bipartite adjacency D^-1/2 A D^-1/2 is), Â itself is used;
/// otherwise the transpose is built on first use and cached. Thread-safe for concurrent readers.
/// </summary>
public sealed class SparseOperator
{
    private readonly Lazy<CsrMatrix> _transpose;

    /// <param name="matrix">The sparse matrix (not copied; must not change afterwards).</param>
    /// <param name="isSymmetric">True when matrix equals its transpose (the caller vouches for it).</param>
    public SparseOperator(CsrMatrix matrix, bool isSymmetric)
    {
        if (isSymmetric && matrix.Rows != matrix.Cols)
        {
            throw new ArgumentException($"a {matrix.Rows}x{matrix.Cols} matrix cannot be symmetric", nameof(isSymmetric));
        }

        Matrix = matrix;
        IsSymmetric = isSymmetric;
        _transpose = new Lazy<CsrMatrix>(() => isSymmetric ? matrix : matrix.Transpose(), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Â.</summary>
    public CsrMatrix Matrix { get; }

    /// <summary>True when Â = Âᵀ and no transpose is stored.</summary>
    public bool IsSymmetric { get; }

    /// <summary>Rows of Â.</summary>
    public int Rows => Matrix.Rows;

    /// <summary>Columns of Â.</summary>
    public int Cols => Matrix.Cols;

    /// <summary>Âᵀ (Â itself when symmetric).</summary>
    public CsrMatrix Transposed => _transpose.Value;
}
