// ResNet18 image features through ONNX Runtime: the package's preprocessing graph, then the network up to its
// global average pool (output Pooling395_Output_0, 512 values per image).
using Microsoft.ML.OnnxRuntime;
using MultiRec.Features.Models;

namespace MultiRec.Features.Images;

/// <summary>Options of <see cref="ResNet18ImageEncoder"/>.</summary>
public sealed record ImageEncoderOptions
{
    /// <summary>ONNX Runtime intra-op threads (default: every core).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Shorter side after scaling, before the 224×224 centre crop (default 256).</summary>
    public int ResizeShorterSide { get; init; } = ImagePreprocessor.DefaultResizeShorterSide;

    /// <summary>Pixel budget of one image, read from its header before decoding: a larger image is unreadable (the
    /// extractor gives it the mean vector and a warning). Default 64,000,000 pixels (about 256 MB decoded).</summary>
    public long MaxPixels { get; init; } = ImagePreprocessor.DefaultMaxPixels;

    /// <summary>Let idle ONNX Runtime threads spin (default false: cores are often shared).</summary>
    public bool AllowSpinning { get; init; }

    /// <summary>Folder holding the model files (default: models/ beside the application).</summary>
    public string? ModelDirectory { get; init; }
}

/// <summary>
/// Encodes images into 512-d ResNet18 features (the ImageNet-trained CNTK ResNet18 shipped in
/// Microsoft.ML.DnnImageFeaturizer.ResNet18). The network expects what the package's own
/// ResNetPreprocess.onnx produces from RGB planes in 0–255: channels reordered to BGR and the
/// ImageNet mean image (about 103/116/123 per channel) subtracted, with no division by a standard
/// deviation; that graph is run as is. Features are non-negative (ReLU, then average pooling).
/// </summary>
public sealed class ResNet18ImageEncoder : IDisposable
{
    /// <summary>Width of the pooled feature.</summary>
    public const int Dimension = 512;

    private const string RawInput = "OriginalInput";
    private const string NetworkInput = "Input247";
    private const string PooledOutput = "Pooling395_Output_0";

    private readonly InferenceSession _preprocess;
    private readonly InferenceSession _network;

    /// <summary>Loads the ResNet18 and preprocessing ONNX models (the files shipped under models/).</summary>
    public ResNet18ImageEncoder(ImageEncoderOptions? options = null)
    {
        Options = options ?? new ImageEncoderOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.Threads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.ResizeShorterSide, ImagePreprocessor.InputSize);
        using var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = Options.Threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        if (!Options.AllowSpinning)
        {
            sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        }

        _preprocess = new InferenceSession(ModelLocator.Require(ModelLocator.ResNetPreprocessFile, Options.ModelDirectory), sessionOptions);
        _network = new InferenceSession(ModelLocator.Require(ModelLocator.ResNet18File, Options.ModelDirectory), sessionOptions);
    }

    /// <summary>The options in force.</summary>
    public ImageEncoderOptions Options { get; }

    /// <summary>Decodes, crops and encodes one image file.</summary>
    /// <exception cref="InvalidDataException">The file is not a decodable image.</exception>
    public float[] EncodeFile(string path) => EncodeRgbPlanes(ImagePreprocessor.LoadRgbPlanes(path, Options.ResizeShorterSide, Options.MaxPixels));

    /// <summary>Encodes 3×224×224 RGB planes with values in 0–255 (see <see cref="ImagePreprocessor"/>).</summary>
    public float[] EncodeRgbPlanes(float[] planes)
    {
        const int size = ImagePreprocessor.InputSize;
        if (planes.Length != 3 * size * size)
        {
            throw new ArgumentException($"expected {3 * size * size} values (3×{size}×{size}), got {planes.Length}", nameof(planes));
        }

        long[] shape = [1, 3, size, size];
        using var raw = OrtValue.CreateTensorValueFromMemory(planes, shape);
        using var runOptions = new RunOptions();
        using var prepared = _preprocess.Run(runOptions, [RawInput], [raw], ["PreprocessedInput"]);
        using var pooled = _network.Run(runOptions, [NetworkInput], [prepared[0]], [PooledOutput]);
        return pooled[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>Releases the ONNX Runtime sessions.</summary>
    public void Dispose()
    {
        _preprocess.Dispose();
        _network.Dispose();
    }
}
