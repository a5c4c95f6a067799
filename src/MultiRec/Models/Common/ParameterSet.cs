// A model's parameters in checkpoint order, under the reference's state_dict names, with the reference initialisers.
using MultiRec.Engine;
using MultiRec.Engine.Autograd;

namespace MultiRec.Models.Common;

/// <summary>Builds and lists a model's parameters (baselines-reference §2.7 for the initialisers).</summary>
internal sealed class ParameterSet
{
    private readonly List<ModelParameter> _parameters = [];

    /// <summary>Every parameter, in the order added (checkpoint order).</summary>
    public IReadOnlyList<ModelParameter> All => _parameters;

    /// <summary>Adds a parameter. A trainable one gets its gradient buffer unless <paramref name="allocateGrad"/> is
    /// false (an optimizer may keep it row-sparse); a frozen one is a constant.</summary>
    public Variable Add(string name, Tensor value, int[] shape, bool trainable = true, bool allocateGrad = true)
    {
        if (_parameters.Any(p => p.Name == name))
        {
            throw new ArgumentException($"parameter '{name}' added twice");
        }

        var v = trainable ? Variable.Parameter(value, name) : Variable.Constant(value, name);
        if (trainable && allocateGrad)
        {
            v.AllocateGrad();
        }

        _parameters.Add(new ModelParameter(name, shape, v, trainable));
        return v;
    }

    /// <summary>The parameter added under <paramref name="name"/>.</summary>
    public ModelParameter this[string name] => _parameters.First(p => p.Name == name);

    /// <summary>rows × cols from xavier_uniform_: U(±√(6/(rows+cols))).</summary>
    public static Tensor XavierUniform(int rows, int cols, Rng rng)
    {
        var t = new Tensor(rows, cols);
        Init.XavierUniform(t, rng);
        return t;
    }

    /// <summary>rows × cols from xavier_normal_: N(0, 2/(rows+cols)).</summary>
    public static Tensor XavierNormal(int rows, int cols, Rng rng)
    {
        var t = new Tensor(rows, cols);
        Init.XavierNormal(t, rng);
        return t;
    }

    /// <summary>A rows × cols (out × in) weight from nn.Linear's default (kaiming_uniform_, a = √5): U(±1/√cols).</summary>
    public static Tensor LinearWeight(int rows, int cols, Rng rng)
    {
        var t = new Tensor(rows, cols);
        Init.LinearBias(t, cols, rng); // the same bound as the bias: 1/√fan_in
        return t;
    }

    /// <summary>A 1 × cols bias from nn.Linear's default: U(±1/√fanIn).</summary>
    public static Tensor LinearBias(int cols, int fanIn, Rng rng)
    {
        var t = new Tensor(1, cols);
        Init.LinearBias(t, fanIn, rng);
        return t;
    }
}
