// The representation a model scores from when, as MMGCN, GRCN, DualGNN and SLMRec do in their references, it scores
// from its last training forward rather than from its current weights (baselines-reference §2.4). It is kept as two
// frozen parameters, so a checkpoint carries the vectors its epoch was scored with.
using MultiRec.Engine;
using MultiRec.Engine.Autograd;

namespace MultiRec.Models.Common;

/// <summary>User and item score vectors (U × d, I × d) stored by the training forward, read by scoring.</summary>
public sealed class ScoringCache
{
    private readonly Variable _users;
    private readonly Variable _items;

    /// <summary>Adds the two frozen parameters (zeros until <see cref="Store"/>) under the given checkpoint names.</summary>
    public ScoringCache(ParameterSet parameters, int users, int items, int d, string usersName, string itemsName)
    {
        _users = parameters.Add(usersName, new Tensor(users, d), [users, d], trainable: false);
        _items = parameters.Add(itemsName, new Tensor(items, d), [items, d], trainable: false);
    }

    /// <summary>Keeps copies of the vectors of a forward pass.</summary>
    public void Store(Tensor users, Tensor items)
    {
        users.AsSpan().CopyTo(_users.Value.AsSpan());
        items.AsSpan().CopyTo(_items.Value.AsSpan());
    }

    /// <summary>Copies of the stored vectors.</summary>
    public (Tensor Users, Tensor Items) Read() => (_users.Value.Clone(), _items.Value.Clone());
}
