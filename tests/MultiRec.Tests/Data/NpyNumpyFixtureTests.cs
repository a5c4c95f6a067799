// Reads .npy files written by numpy itself (tools/reference/npy_fixtures.py) and checks values and rejections.
using MultiRec.Data;

namespace MultiRec.Tests.Data;

public class NpyNumpyFixtureTests
{
    private static string Fixture(string name) => Path.Combine(TestPaths.Fixtures, "npy", name);

    private static float[] ExpectedFloat32 => [.. Enumerable.Range(0, 12).Select(k => k / 7f)];

    [Theory]
    [InlineData("f4_v1.npy", 1)]
    [InlineData("f4_v2.npy", 2)]
    [InlineData("f4_v3.npy", 3)]
    public void Float32_AllFormatVersions(string name, int version)
    {
        Assert.Equal(version, NpyFile.ReadHeader(Fixture(name)).MajorVersion);
        var matrix = NpyFile.ReadFeatureMatrix(Fixture(name), expectedRows: 3);
        Assert.Equal(4, matrix.Cols);
        Assert.Equal(ExpectedFloat32, matrix.Values);
    }

    [Fact]
    public void Float64_IsRoundedLikeNumpyAstype()
    {
        var expected = Enumerable.Range(0, 12).Select(k => (float)(k / 7.0)).ToArray();
        Assert.Equal(expected, NpyFile.ReadFeatureMatrix(Fixture("f8.npy")).Values);
        Assert.Equal(Enumerable.Range(0, 12).Select(k => k / 7.0), NpyFile.Read(Fixture("f8.npy")).ToFloat64());
    }

    [Theory]
    [InlineData("i4.npy", "<i4")]
    [InlineData("i8.npy", "<i8")]
    public void Integers(string name, string dtype)
    {
        var array = NpyFile.Read(Fixture(name));
        Assert.Equal(dtype, array.Dtype);
        Assert.Equal([3, 4], array.Shape);
        Assert.Equal(Enumerable.Range(-5, 12), array.ToInt32());
    }

    [Fact]
    public void BytesAndBooleans()
    {
        Assert.Equal(Enumerable.Range(0, 12), NpyFile.Read(Fixture("u1.npy")).ToInt32());
        Assert.Equal(Enumerable.Range(0, 12).Select(k => k % 3 == 0 ? 1 : 0), NpyFile.Read(Fixture("b1.npy")).ToInt32());
    }

    [Theory]
    [InlineData("fortran.npy", "Fortran order")]
    [InlineData("bigendian.npy", "big-endian dtype '>f4'")]
    [InlineData("complex.npy", "unsupported dtype '<c8'")]
    public void Rejected(string name, string fault)
    {
        var e = Assert.Throws<DataFormatException>(() => NpyFile.Read(Fixture(name)));
        Assert.Contains(name, e.Message);
        Assert.Contains(fault, e.Message);
    }
}
