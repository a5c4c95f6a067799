// Unit tests of the per-split user -> item CSR.
using MultiRec.Data;

namespace MultiRec.Tests.Data;

public class UserItemCsrTests
{
    [Fact]
    public void FromPairs_SortsRowsAndCollapsesDuplicates()
    {
        int[] users = [2, 0, 2, 2, 0];
        int[] items = [5, 1, 3, 5, 0];
        var csr = UserItemCsr.FromPairs(3, 6, users, items);
        Assert.Equal([0, 1], csr.ItemsOf(0).ToArray());
        Assert.Empty(csr.ItemsOf(1).ToArray());
        Assert.Equal([3, 5], csr.ItemsOf(2).ToArray());
        Assert.Equal(4, csr.Count);
        Assert.Equal([0, 2], csr.NonEmptyUsers());
    }
}
