// Malformed and inconsistent safetensors checkpoints and trainer state (S4, D11): every one is a DataFormatException
// naming the file (and the tensor or field), through the reader and through `train --resume` / `--init`.
using System.Buffers.Binary;
using System.Text;
using MultiRec.Data;
using MultiRec.Tests.Cli;
using MultiRec.Training.Checkpoints;

namespace MultiRec.Tests.Training;

public class CheckpointIntegrityTests
{
    private static readonly string Tiny = Path.Combine(TestPaths.Fixtures, "bm3", "tiny");
    private static readonly string[] Small = ["--quiet", "--set", "embedding_size=8", "--set", "train_batch_size=8", "--set", "threads=1", "--set", "epochs=1"];

    /// <summary>A safetensors file with the given JSON header and data bytes.</summary>
    internal static byte[] Build(string header, byte[] data)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + json.Length);
        return bytes;
    }

    [Theory]
    [InlineData("[1,2,3]", "must be a JSON object")]
    [InlineData("{\"a\":5}", "tensor 'a': entry must be a JSON object")]
    [InlineData("{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", "'dtype'")]
    [InlineData("{\"a\":{\"dtype\":7,\"shape\":[2],\"data_offsets\":[0,8]}}", "'dtype'")]
    [InlineData("{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,8]}}", "F32 only")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":\"2\",\"data_offsets\":[0,8]}}", "'shape'")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}", "shape entry 2.5")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]}}", "shape entry")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967298],\"data_offsets\":[0,8]}}", "shape entry")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", "shape entry -2")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647],\"data_offsets\":[0,8]}}", "more values")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]}}", "data_offsets [-8, 0]")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", "'data_offsets'")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[\"0\",\"8\"]}}", "'data_offsets'")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,12]}}", "do not match")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", "beyond the 8 data bytes")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", "overlap")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", "overlap")]
    [InlineData("{\"__metadata__\":{\"x\":5}}", "metadata 'x' must be a string")]
    [InlineData("{\"__metadata__\":[1]}", "__metadata__ must be a JSON object")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", "appears twice")]
    public void MalformedHeader_IsADataErrorNamingTheFile(string header, string mention)
    {
        using var dir = TestPaths.NewTempDir();
        var path = dir.File("c.safetensors");
        File.WriteAllBytes(path, Build(header, new byte[8]));
        var e = Assert.Throws<DataFormatException>(() => SafeTensorsFile.Read(path));
        Assert.Equal(path, e.File);
        Assert.Contains(mention, e.Message);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void NonFiniteWeight_IsRefusedNamingTheTensor(float bad)
    {
        using var dir = TestPaths.NewTempDir();
        var path = dir.File("c.safetensors");
        var data = new byte[8];
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4), bad);
        File.WriteAllBytes(path, Build("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", data));
        var e = Assert.Throws<DataFormatException>(() => SafeTensorsFile.Read(path));
        Assert.Contains("tensor 'w' holds a non-finite value", e.Message);
        Assert.Contains("flat index 1", e.Message);
    }

    [Fact]
    public void WellFormedFile_StillReads()
    {
        using var dir = TestPaths.NewTempDir();
        var path = dir.File("c.safetensors");
        var data = new byte[12];
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(8), 2.5f);
        File.WriteAllBytes(path, Build("{\"__metadata__\":{\"k\":\"v\"},\"b\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[8,12]},\"a\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]},\"z\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[12,12]}}", data));
        var file = SafeTensorsFile.Read(path);
        Assert.Equal(["a", "b", "z"], file.Tensors.Select(t => t.Name));
        Assert.Equal(2.5f, file.Find("b")!.Value.AsSpan()[0]);
        Assert.Equal("v", file.Metadata["k"]);
    }

    [Fact]
    public void Resume_HeaderRewrittenToAnArray_ExitsOneNamingTheCheckpoint()
    {
        using var dir = TestPaths.NewTempDir();
        var run = TrainSmallRun(dir);
        var last = Path.Combine(run, "last.safetensors");
        File.WriteAllBytes(last, Build("[1,2,3]", []));
        HostileCliAssert.NamedError(1, ["train", "--resume", run, "--quiet"], "last.safetensors", "JSON object");
        HostileCliAssert.NamedError(1, ["train", "--data", Tiny, "--init", last, "--out", dir.File("b"), .. Small], "last.safetensors");
    }

    [Theory]
    [InlineData("optimizer_step", "abc", "optimizer_step 'abc'")]
    [InlineData("optimizer_step", "-3", "optimizer_step '-3'")]
    [InlineData("trainer", "not json", "trainer metadata")]
    [InlineData("trainer", "[1,2]", "trainer metadata")]
    [InlineData("trainer", "{\"epoch\":\"x\"}", "trainer metadata")]
    [InlineData("trainer", "{\"epoch\":-5}", "epoch -5 is negative")]
    [InlineData("trainer", "{\"epoch\":1,\"step_in_epoch\":100000}", "step_in_epoch 100000")]
    [InlineData("trainer", "{\"epoch\":1,\"best_epoch\":7}", "best_epoch 7")]
    [InlineData("trainer", "{\"epoch\":1,\"shuffle_state\":\"1,2\",\"epoch_shuffle_state\":\"1,2,3,4\",\"model_random_state\":\"5\"}", "shuffle_state '1,2'")]
    [InlineData("trainer", "{\"epoch\":1,\"shuffle_state\":\"0,0,0,0\",\"epoch_shuffle_state\":\"1,2,3,4\",\"model_random_state\":\"5\"}", "shuffle_state '0,0,0,0'")]
    public void Resume_BadTrainerMetadata_ExitsOneNamingTheField(string key, string value, string mention)
    {
        using var dir = TestPaths.NewTempDir();
        var run = TrainSmallRun(dir);
        var last = Path.Combine(run, "last.safetensors");
        var file = SafeTensorsFile.Read(last);
        var metadata = new Dictionary<string, string>(file.Metadata) { [key] = value };
        SafeTensorsFile.Write(last, file.Tensors, metadata);
        HostileCliAssert.NamedError(1, ["train", "--resume", run, "--quiet", "--set", "epochs=3"], "last.safetensors", mention);
    }

    private static string TrainSmallRun(TempDir dir)
    {
        var run = dir.File("run");
        var result = CliRunner.Run(["train", "--data", Tiny, "--out", run, .. Small]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return run;
    }
}
