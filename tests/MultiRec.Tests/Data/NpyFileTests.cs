// Tests of the .npy reader and writers: versions, dtypes, strict feature-matrix checks, and every rejected input.
using MultiRec.Data;

namespace MultiRec.Tests.Data;

public class NpyFileTests
{
    private static readonly float[] SixFloats = [1.5f, -2f, 3.25f, 0f, 1e-3f, 7f];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Read_AcceptsFormatVersions(int major)
    {
        using var dir = TestPaths.NewTempDir();
        var path = NpyTestFiles.WriteFile(dir, "a.npy", NpyTestFiles.Build(major, NpyTestFiles.Dict("<f4", "(2, 3)"), NpyTestFiles.Bytes(SixFloats)));

        var array = NpyFile.Read(path);

        Assert.Equal([2, 3], array.Shape);
        Assert.Equal("<f4", array.Dtype);
        Assert.Equal(SixFloats, array.ToFloat32());
        var matrix = NpyFile.ReadFeatureMatrix(path, expectedRows: 2);
        Assert.Equal(3, matrix.Cols);
        Assert.Equal(new[] { 0f, 1e-3f, 7f }, matrix.Row(1).ToArray());
    }

    [Fact]
    public void Read_HeaderWithDoubleQuotesKeysReorderedAndLongSuffix()
    {
        using var dir = TestPaths.NewTempDir();
        var dict = "{\"shape\": (2L, 3L), \"fortran_order\": False, \"descr\": \"<f4\"}";
        var path = NpyTestFiles.WriteFile(dir, "a.npy", NpyTestFiles.Build(1, dict, NpyTestFiles.Bytes(SixFloats), pad: false));

        Assert.Equal([2, 3], NpyFile.Read(path).Shape);
    }

    [Fact]
    public void ReadFeatureMatrix_Float64IsRoundedToFloat32()
    {
        using var dir = TestPaths.NewTempDir();
        double[] values = [0.1, 1.0 / 3.0, -2.5, 1e-8];
        var path = NpyTestFiles.WriteFile(dir, "f8.npy", NpyTestFiles.Build(1, NpyTestFiles.Dict("<f8", "(2, 2)"), NpyTestFiles.Bytes(values)));

        var matrix = NpyFile.ReadFeatureMatrix(path);

        Assert.Equal(values.Select(v => (float)v).ToArray(), matrix.Values);
        Assert.Equal(values, NpyFile.Read(path).ToFloat64());
        Assert.Equal(values.Select(v => (float)v).ToArray(), NpyFile.Read(path).ToFloat32());
    }

    [Fact]
    public void ToInt32_ConvertsIntegerAndBooleanDtypes()
    {
        using var dir = TestPaths.NewTempDir();
        var i4 = NpyTestFiles.WriteFile(dir, "i4.npy", NpyTestFiles.Build(1, NpyTestFiles.Dict("<i4", "(3,)"), NpyTestFiles.Bytes(-7, 0, int.MaxValue)));
        var i8 = NpyTestFiles.WriteFile(dir, "i8.npy", NpyTestFiles.Build(1, NpyTestFiles.Dict("<i8", "(3,)"), NpyTestFiles.Bytes(-7L, 0L, (long)int.MinValue)));
        var u1 = NpyTestFiles.WriteFile(dir, "u1.npy", NpyTestFiles.Build(1, NpyTestFiles.Dict("|u1", "(3,)"), [0, 200, 255]));
        var b1 = NpyTestFiles.WriteFile(dir, "b1.npy", NpyTestFiles.Build(1, NpyTestFiles.Dict("|b1", "(1, 3)"), [1, 0, 1]));

        Assert.Equal([-7, 0, int.MaxValue], NpyFile.Read(i4).ToInt32());
        Assert.Equal([-7, 0, int.MinValue], NpyFile.Read(i8).ToInt32());
        Assert.Equal([0, 200, 255], NpyFile.Read(u1).ToInt32());
        Assert.Equal([1, 0, 1], NpyFile.Read(b1).ToInt32());
        Assert.Equal("|b1", NpyFile.Read(b1).Dtype);
        Assert.Equal([1, 3], NpyFile.Read(b1).Shape);
    }

    [Fact]
    public void ToInt32_Int64OverflowNamesFileAndElement()
    {
        using var dir = TestPaths.NewTempDir();
        var path = NpyTestFiles.WriteFile(dir, "big.npy", NpyTestFiles.Build(1, NpyTestFiles.Dict("<i8", "(2,)"), NpyTestFiles.Bytes(1L, 1L << 40)));

        var e = Assert.Throws<DataFormatException>(() => NpyFile.Read(path).ToInt32());
        Assert.Contains("big.npy", e.Message);
        Assert.Contains("element 1", e.Message);
    }

    [Fact]
    public void ToInt32_RejectsFloatArrays()
    {
        using var dir = TestPaths.NewTempDir();
        var path = NpyTestFiles.WriteFile(dir, "f.npy", NpyTestFiles.Build(1, NpyTestFiles.Dict("<f4", "(2, 3)"), NpyTestFiles.Bytes(SixFloats)));

        var e = Assert.Throws<DataFormatException>(() => NpyFile.Read(path).ToInt32());
        Assert.Contains("f.npy", e.Message);
    }

    [Fact]
    public void Read_ZeroDimensionalArray()
    {
        using var dir = TestPaths.NewTempDir();
        var path = NpyTestFiles.WriteFile(dir, "s.npy", NpyTestFiles.Build(1, NpyTestFiles.Dict("<i4", "()"), NpyTestFiles.Bytes(42)));

        var array = NpyFile.Read(path);
        Assert.Empty(array.Shape);
        Assert.Equal([42], array.ToInt32());
    }

    [Theory]
    [InlineData("<f4", "(2, 3)", true, "Fortran order")]
    [InlineData(">f4", "(2, 3)", false, "big-endian dtype '>f4'")]
    [InlineData("<c8", "(2, 3)", false, "unsupported dtype '<c8'")]
    [InlineData("<f2", "(2, 3)", false, "unsupported dtype '<f2'")]
    [InlineData("<f4", "(2, 4)", false, "truncated")]
    [InlineData("<f4", "(5,)", false, "unexpected bytes after the data")]
    public void Read_RejectsBadHeaders(string descr, string shape, bool fortran, string fault)
    {
        using var dir = TestPaths.NewTempDir();
        var path = NpyTestFiles.WriteFile(dir, "bad.npy", NpyTestFiles.Build(1, NpyTestFiles.Dict(descr, shape, fortran), NpyTestFiles.Bytes(SixFloats)));

        var e = Assert.Throws<DataFormatException>(() => NpyFile.Read(path));
        Assert.Contains("bad.npy", e.Message);
        Assert.Contains(fault, e.Message);
        var e2 = Assert.Throws<DataFormatException>(() => NpyFile.ReadFeatureMatrix(path));
        Assert.Contains("bad.npy", e2.Message);
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'shape': (2, 3), }", "no 'fortran_order' key")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'extra': 1}", "unexpected key 'extra'")]
    [InlineData("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2, 3)}", "expected True or False")]
    [InlineData("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,)}", "structured")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -3)}", "non-negative integer")]
    public void Read_RejectsMalformedDicts(string dict, string fault)
    {
        using var dir = TestPaths.NewTempDir();
        var path = NpyTestFiles.WriteFile(dir, "dict.npy", NpyTestFiles.Build(1, dict, NpyTestFiles.Bytes(SixFloats)));

        var e = Assert.Throws<DataFormatException>(() => NpyFile.Read(path));
        Assert.Contains("dict.npy", e.Message);
        Assert.Contains(fault, e.Message);
    }

    [Fact]
    public void Read_RejectsNonNpyAndTruncatedHeader()
    {
        using var dir = TestPaths.NewTempDir();
        var text = NpyTestFiles.WriteFile(dir, "text.npy", "hello world, not numpy"u8.ToArray());
        var full = NpyTestFiles.Build(1, NpyTestFiles.Dict("<f4", "(2, 3)"), NpyTestFiles.Bytes(SixFloats));
        var cut = NpyTestFiles.WriteFile(dir, "cut.npy", full[..40]);
        var v4 = (byte[])full.Clone();
        v4[6] = 4;
        var future = NpyTestFiles.WriteFile(dir, "v4.npy", v4);

        Assert.Contains("text.npy: not a .npy file", Assert.Throws<DataFormatException>(() => NpyFile.Read(text)).Message);
        Assert.Contains("cut.npy: truncated .npy header", Assert.Throws<DataFormatException>(() => NpyFile.Read(cut)).Message);
        Assert.Contains("version 4.0", Assert.Throws<DataFormatException>(() => NpyFile.Read(future)).Message);
        Assert.Contains("file not found", Assert.Throws<DataFormatException>(() => NpyFile.Read(dir.File("missing.npy"))).Message);
    }

    [Theory]
    [InlineData(float.NaN, "row 1 (item 1), column 2 is NaN")]
    [InlineData(float.PositiveInfinity, "row 1 (item 1), column 2 is infinite")]
    [InlineData(float.NegativeInfinity, "row 1 (item 1), column 2 is infinite")]
    public void ReadFeatureMatrix_RejectsNonFiniteValuesNamingTheRow(float bad, string fault)
    {
        using var dir = TestPaths.NewTempDir();
        var values = (float[])SixFloats.Clone();
        values[5] = bad;
        var path = NpyTestFiles.WriteFile(dir, "nan.npy", NpyTestFiles.Build(1, NpyTestFiles.Dict("<f4", "(2, 3)"), NpyTestFiles.Bytes(values)));

        var e = Assert.Throws<DataFormatException>(() => NpyFile.ReadFeatureMatrix(path));
        Assert.Contains("nan.npy", e.Message);
        Assert.Contains(fault, e.Message);
    }

    [Fact]
    public void ReadFeatureMatrix_Float64BeyondFloat32RangeIsRejected()
    {
        using var dir = TestPaths.NewTempDir();
        var path = NpyTestFiles.WriteFile(dir, "huge.npy", NpyTestFiles.Build(1, NpyTestFiles.Dict("<f8", "(2, 1)"), NpyTestFiles.Bytes(1.0, 1e300)));

        var e = Assert.Throws<DataFormatException>(() => NpyFile.ReadFeatureMatrix(path));
        Assert.Contains("row 1 (item 1), column 0", e.Message);
    }

    [Fact]
    public void ReadFeatureMatrix_RejectsWrongRowCountRankAndDtype()
    {
        using var dir = TestPaths.NewTempDir();
        var good = NpyTestFiles.WriteFile(dir, "rows.npy", NpyTestFiles.Build(1, NpyTestFiles.Dict("<f4", "(2, 3)"), NpyTestFiles.Bytes(SixFloats)));
        var flat = NpyTestFiles.WriteFile(dir, "flat.npy", NpyTestFiles.Build(1, NpyTestFiles.Dict("<f4", "(6,)"), NpyTestFiles.Bytes(SixFloats)));
        var ints = NpyTestFiles.WriteFile(dir, "ints.npy", NpyTestFiles.Build(1, NpyTestFiles.Dict("<i4", "(2, 3)"), NpyTestFiles.Bytes(1, 2, 3, 4, 5, 6)));

        var rows = Assert.Throws<DataFormatException>(() => NpyFile.ReadFeatureMatrix(good, expectedRows: 5));
        Assert.Contains("rows.npy", rows.Message);
        Assert.Contains("has 2 rows but the dataset has 5 items", rows.Message);
        Assert.Contains("must be 2-D", Assert.Throws<DataFormatException>(() => NpyFile.ReadFeatureMatrix(flat)).Message);
        Assert.Contains("dtype <f4 or <f8, not '<i4'", Assert.Throws<DataFormatException>(() => NpyFile.ReadFeatureMatrix(ints)).Message);
    }

    [Fact]
    public void WriteFloat_RoundTripsWithAlignedVersion1Header()
    {
        using var dir = TestPaths.NewTempDir();
        var path = dir.File("w.npy");

        NpyFile.Write(path, SixFloats, 3, 2);

        var bytes = File.ReadAllBytes(path);
        Assert.Equal(1, bytes[6]);
        var headerEnd = Array.IndexOf(bytes, (byte)'\n') + 1;
        Assert.Equal(0, headerEnd % 64);
        Assert.Equal(headerEnd + (6 * sizeof(float)), bytes.Length);
        var back = NpyFile.ReadFeatureMatrix(path, expectedRows: 3);
        Assert.Equal(SixFloats, back.Values);
        Assert.Equal(2, back.Cols);
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void WriteInt_RoundTripsShape()
    {
        using var dir = TestPaths.NewTempDir();
        var path = dir.File("ids.npy");

        NpyFile.Write(path, [3, 1, 4, 1, 5, 9], 2, 3);

        var back = NpyFile.Read(path);
        Assert.Equal("<i4", back.Dtype);
        Assert.Equal([2, 3], back.Shape);
        Assert.Equal([3, 1, 4, 1, 5, 9], back.ToInt32());
        Assert.Throws<ArgumentException>(() => NpyFile.Write(path, [1, 2, 3], 2, 2));
    }

    [Fact]
    public void WriteInt_UsesVersion2WhenTheHeaderIsTooLongForVersion1()
    {
        using var dir = TestPaths.NewTempDir();
        var path = dir.File("deep.npy");
        var shape = Enumerable.Repeat(1, 30_000).ToArray();

        NpyFile.Write(path, [77], shape);

        Assert.Equal(2, File.ReadAllBytes(path)[6]);
        var back = NpyFile.Read(path);
        Assert.Equal(30_000, back.Shape.Length);
        Assert.Equal([77], back.ToInt32());
    }

    [Fact]
    public void Writer_ReplacesExistingFileOnlyWhenComplete()
    {
        using var dir = TestPaths.NewTempDir();
        var path = dir.File("f.npy");
        NpyFile.Write(path, SixFloats, 2, 3);

        using (var writer = new NpyFloat32Writer(path, 2, 3))
        {
            writer.WriteRows(SixFloats.AsSpan(0, 3));
            Assert.Throws<InvalidOperationException>(writer.Complete);
        }

        Assert.Equal(SixFloats, NpyFile.ReadFeatureMatrix(path).Values);
        Assert.Single(Directory.GetFiles(dir.Path));

        using (var writer = new NpyFloat32Writer(path, 3, 2))
        {
            writer.WriteRows(SixFloats.AsSpan(0, 4));
            Assert.Throws<ArgumentException>(() => writer.WriteRows(SixFloats.AsSpan(0, 3)));
            writer.WriteRows(SixFloats.AsSpan(4, 2));
            writer.Complete();
        }

        Assert.Equal([3, 2], NpyFile.ReadHeader(path).Shape);
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void FeatureMatrix_ValidatesShape()
    {
        Assert.Throws<ArgumentException>(() => new FeatureMatrix(2, 2, new float[3]));
        var m = new FeatureMatrix(2, 3, SixFloats);
        Assert.Equal(new[] { 0f, 1e-3f, 7f }, m.Row(1).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Row(2));
    }
}
