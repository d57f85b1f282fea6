namespace Vae.MLNet.Reporting.Imaging;

/// <summary>The layout of an image flattened into a vector: channel-major, then rows, then columns (PyTorch's C×H×W).</summary>
internal readonly record struct ImageShape(int Channels, int Height, int Width)
{
    /// <summary>The vector size C·H·W.</summary>
    public int Size => Channels * Height * Width;

    /// <summary>Reads {C, H, W}.</summary>
    public static ImageShape From(int[] shape) =>
        shape.Length == 3 ? new(shape[0], shape[1], shape[2])
            : throw new ArgumentException($"Expected an image shape {{C, H, W}} of 3 values, got {shape.Length}.", nameof(shape));
}
