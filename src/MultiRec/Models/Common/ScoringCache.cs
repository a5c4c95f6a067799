// The representation a model scores from when, as MMGCN, GRCN, DualGNN and SLMRec do in their references, it scores
// from its last training forward rather than from its current weights (baselines-reference §2.4). It is kept as
// frozen parameters, so a checkpoint carries the vectors its epoch was scored with.
using MultiRec.Engine;
using MultiRec.Engine.Autograd;

namespace MultiRec.Models.Common;

/// <summary>User and item score vectors stored by the training forward and read by scoring: one stacked
/// (U + I) × d tensor (the references' <c>result</c>, <c>result_embed</c>) or two (U × d, I × d).</summary>
internal sealed class ScoringCache
{
    private readonly int _users;
    private readonly Variable? _stacked;
    private readonly Variable? _userRows;
    private readonly Variable? _itemRows;

    private ScoringCache(int users, Variable? stacked, Variable? userRows, Variable? itemRows)
    {
        _users = users;
        _stacked = stacked;
        _userRows = userRows;
        _itemRows = itemRows;
    }

    /// <summary>One frozen (U + I) × d parameter, users first, starting at <paramref name="initial"/>.</summary>
    public static ScoringCache Stacked(ParameterSet parameters, string name, Tensor initial, int users) =>
        new(users, parameters.Add(name, initial, [initial.Rows, initial.Cols], trainable: false), null, null);

    /// <summary>Two frozen parameters, U × d and I × d, starting at zeros.</summary>
    public static ScoringCache Split(ParameterSet parameters, string usersName, string itemsName, int users, int items, int d) =>
        new(users, null, parameters.Add(usersName, new Tensor(users, d), [users, d], trainable: false),
            parameters.Add(itemsName, new Tensor(items, d), [items, d], trainable: false));

    /// <summary>The stored vectors as one (U + I) × d tensor (a view of the parameter; stacked layout only).</summary>
    public Tensor Value => _stacked?.Value ?? throw new InvalidOperationException("the cache keeps users and items apart");

    /// <summary>Keeps a copy of a forward pass's stacked (U + I) × d representation.</summary>
    public void Store(Tensor stacked)
    {
        if (_stacked is not null)
        {
            stacked.AsSpan().CopyTo(_stacked.Value.AsSpan());
            return;
        }

        var split = _users * _userRows!.Cols;
        stacked.AsSpan()[..split].CopyTo(_userRows.Value.AsSpan());
        stacked.AsSpan()[split..].CopyTo(_itemRows!.Value.AsSpan());
    }

    /// <summary>Keeps copies of a forward pass's user (U × d) and item (I × d) vectors.</summary>
    public void Store(Tensor users, Tensor items)
    {
        if (_stacked is not null)
        {
            users.AsSpan().CopyTo(_stacked.Value.AsSpan());
            items.AsSpan().CopyTo(_stacked.Value.AsSpan()[users.Length..]);
            return;
        }

        users.AsSpan().CopyTo(_userRows!.Value.AsSpan());
        items.AsSpan().CopyTo(_itemRows!.Value.AsSpan());
    }

    /// <summary>Copies of the stored user (U × d) and item (I × d) vectors.</summary>
    public (Tensor Users, Tensor Items) Read()
    {
        if (_stacked is null)
        {
            return (_userRows!.Value.Clone(), _itemRows!.Value.Clone());
        }

        var all = _stacked.Value;
        var users = new Tensor(_users, all.Cols);
        var items = new Tensor(all.Rows - _users, all.Cols);
        all.AsSpan()[..users.Length].CopyTo(users.AsSpan());
        all.AsSpan()[users.Length..].CopyTo(items.AsSpan());
        return (users, items);
    }
}
