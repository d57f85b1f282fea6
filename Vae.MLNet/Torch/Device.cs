using Vae.MLNet.Torch.Native;

namespace Vae.MLNet.Torch;

/// <summary>Kinds of device, numbered as libtorch numbers them (c10::DeviceType).</summary>
public enum DeviceType
{
    /// <summary>The host processor.</summary>
    CPU = 0,
    /// <summary>An NVIDIA GPU through CUDA.</summary>
    CUDA = 1,
}

public static partial class torch
{
    /// <summary>A device a tensor lives on: a type and, for GPUs, an index.</summary>
    public sealed record Device(DeviceType type, int index = -1)
    {
        /// <summary>PyTorch's spelling: "cpu", "cuda" or "cuda:1".</summary>
        public override string ToString() => type == DeviceType.CPU ? "cpu" : index < 0 ? "cuda" : $"cuda:{index}";

        /// <summary>Throws when the device cannot be used in this process (CUDA without a CUDA build of libtorch).</summary>
        internal Device EnsureAvailable()
        {
            if (type != DeviceType.CUDA) return this;
            if (!cuda.is_available())
                throw new InvalidOperationException(
                    $"Device '{this}' was requested, but the libtorch this library runs on has no CUDA support or sees no GPU " +
                    "(Debian's libtorch-dev is CPU-only). Use torch.CPU, or build native/ against a CUDA build of libtorch 1.13.");
            if (index >= cuda.device_count())
                throw new ArgumentOutOfRangeException(nameof(index), $"Device '{this}' does not exist: {cuda.device_count()} CUDA device(s) are visible.");
            return this;
        }
    }

    /// <summary>The host processor.</summary>
    public static readonly Device CPU = new(DeviceType.CPU);

    /// <summary>The default CUDA device.</summary>
    public static readonly Device CUDA = new(DeviceType.CUDA);

    /// <summary>Parses PyTorch's device strings: "cpu", "cuda", "cuda:0".</summary>
    public static Device device(string description)
    {
        ArgumentNullException.ThrowIfNull(description);
        string[] parts = description.Trim().ToLowerInvariant().Split(':');
        DeviceType type = parts[0] switch
        {
            "cpu" => DeviceType.CPU,
            "cuda" => DeviceType.CUDA,
            _ => throw new ArgumentException($"Unknown device '{description}'; expected 'cpu', 'cuda' or 'cuda:N'.", nameof(description)),
        };
        if (parts.Length == 1) return new Device(type);
        if (parts.Length == 2 && int.TryParse(parts[1], out int index) && index >= 0) return new Device(type, index);
        throw new ArgumentException($"Unknown device '{description}'; expected 'cpu', 'cuda' or 'cuda:N'.", nameof(description));
    }

    /// <summary>A device of the given type and index.</summary>
    public static Device device(DeviceType type, int index = -1) => new(type, index);

    /// <summary>CUDA queries.</summary>
    public static class cuda
    {
        /// <summary>Whether libtorch was built with CUDA and sees at least one GPU.</summary>
        public static bool is_available() => NativeMethods.vae_cuda_is_available();

        /// <summary>The number of visible CUDA devices.</summary>
        public static int device_count() => NativeMethods.vae_cuda_device_count();
    }
}
