// The rows of a .inter file in file order: user id, item id and split label per row.
namespace MultiRec.Data;

/// <summary>Interaction rows as parallel arrays, in file order. Labels: 0 = train, 1 = valid, 2 = test.</summary>
public sealed class InterRows
{
    /// <summary>Rows from parallel columns of equal length.</summary>
    public InterRows(int[] users, int[] items, byte[] labels)
    {
        if (users.Length != items.Length || users.Length != labels.Length)
        {
            throw new ArgumentException($"column lengths differ: {users.Length} users, {items.Length} items, {labels.Length} labels");
        }

        Users = users;
        Items = items;
        Labels = labels;
    }

    /// <summary>Number of rows.</summary>
    public int Count => Users.Length;

    /// <summary>userID of each row.</summary>
    public int[] Users { get; }

    /// <summary>itemID of each row.</summary>
    public int[] Items { get; }

    /// <summary>x_label of each row: 0 train, 1 valid, 2 test.</summary>
    public byte[] Labels { get; }
}
