namespace Vae.MLNet.Torch;

public static partial class torch
{
    /// <summary>Element types, numbered as libtorch numbers them (c10::ScalarType).</summary>
    public enum ScalarType
    {
        /// <summary>Unsigned 8-bit integer.</summary>
        Byte = 0,
        /// <summary>Signed 8-bit integer.</summary>
        Int8 = 1,
        /// <summary>Signed 16-bit integer.</summary>
        Int16 = 2,
        /// <summary>Signed 32-bit integer.</summary>
        Int32 = 3,
        /// <summary>Signed 64-bit integer (indices, class labels).</summary>
        Int64 = 4,
        /// <summary>IEEE half precision.</summary>
        Float16 = 5,
        /// <summary>IEEE single precision, the default for floating tensors.</summary>
        Float32 = 6,
        /// <summary>IEEE double precision.</summary>
        Float64 = 7,
        /// <summary>Boolean.</summary>
        Bool = 11,
        /// <summary>Brain floating point.</summary>
        BFloat16 = 15,
    }

    /// <summary>Single precision (PyTorch's torch.float32).</summary>
    public const ScalarType float32 = ScalarType.Float32;
    /// <summary>Double precision (PyTorch's torch.float64).</summary>
    public const ScalarType float64 = ScalarType.Float64;
    /// <summary>64-bit integers (PyTorch's torch.int64).</summary>
    public const ScalarType int64 = ScalarType.Int64;
    /// <summary>32-bit integers (PyTorch's torch.int32).</summary>
    public const ScalarType int32 = ScalarType.Int32;
    /// <summary>Booleans (PyTorch's torch.bool).</summary>
    public const ScalarType @bool = ScalarType.Bool;
    /// <summary>Unsigned bytes (PyTorch's torch.uint8).</summary>
    public const ScalarType uint8 = ScalarType.Byte;
}
