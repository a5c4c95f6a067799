// `multirec data features image`: item images → image_feat.npy (ResNet18, 512-d pooled features).
using System.CommandLine;

namespace MultiRec.Cli.Commands;

/// <summary>The `data features image` verb.</summary>
public static class FeaturesImageCommand
{
    public static Command Create()
    {
        var command = new Command("image", "Encode item images with ResNet18 (ONNX) into an items x 512 float32 .npy.");
        return command;
    }
}
