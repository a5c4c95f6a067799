// Reads one PyTorch reference case written by tools/reference/make_engine_fixtures.py (a folder of .npy files).
using MultiRec.Data;
using MultiRec.Engine;
using MultiRec.Engine.Autograd;

namespace MultiRec.Tests.Engine.Autograd;

/// <summary>
/// A fixture case under fixtures/engine/ops/&lt;name&gt;: in_* inputs (parameters), idx_* indices, mask_* and
/// const_* constants, out (expected output), dout (upstream gradient) and grad_* (expected input gradients).
/// </summary>
internal sealed class OpFixture
{
    private readonly string _folder;

    public OpFixture(string name)
    {
        _folder = Path.Combine(TestPaths.Fixtures, "engine", "ops", name);
        Assert.True(Directory.Exists(_folder), $"fixture folder {_folder} is missing (run tools/reference/make_engine_fixtures.py)");
        Name = name;
        Inputs = Directory.GetFiles(_folder, "in_*.npy")
            .Select(Path.GetFileNameWithoutExtension)
            .Select(f => f![3..])
            .Order(StringComparer.Ordinal)
            .ToDictionary(n => n, n => Variable.Parameter(Float("in_" + n), n));
    }

    public string Name { get; }

    /// <summary>The case's inputs as fresh parameters, by name.</summary>
    public Dictionary<string, Variable> Inputs { get; }

    public Variable this[string input] => Inputs[input];

    /// <summary>A float32 array stored as a 2-D (or 1-D, read as one row) tensor.</summary>
    public Tensor Float(string file)
    {
        var array = NpyFile.Read(Path.Combine(_folder, file + ".npy"));
        var (rows, cols) = array.Shape.Length switch
        {
            2 => (array.Shape[0], array.Shape[1]),
            1 => (1, array.Shape[0]),
            _ => throw new InvalidDataException($"{file}: expected a 1-D or 2-D array"),
        };
        return Tensor.FromArray(rows, cols, array.ToFloat32());
    }

    /// <summary>An int32 index array.</summary>
    public int[] Indices(string name) => NpyFile.Read(Path.Combine(_folder, "idx_" + name + ".npy")).ToInt32();

    /// <summary>
    /// Backward with the stored upstream gradient, then compares the output and every input gradient with
    /// PyTorch: relative error (max |diff| over the tensor's max |value|) at most the tolerance.
    /// </summary>
    public void Verify(Tape tape, Variable output, double tolerance = 1e-5)
    {
        TestTensors.AssertClose(Float("out"), output.Value, tolerance, $"{Name}: output");
        tape.Backward(output, Float("dout"));
        foreach (var (name, input) in Inputs)
        {
            var expected = Float("grad_" + name);
            TestTensors.AssertClose(expected, input.Grad ?? new Tensor(input.Rows, input.Cols), tolerance, $"{Name}: gradient of {name}");
        }
    }
}
