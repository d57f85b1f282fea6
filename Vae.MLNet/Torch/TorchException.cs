using System.Runtime.InteropServices;

namespace Vae.MLNet.Torch;

/// <summary>An error reported by libtorch, carrying libtorch's own message and, where known, the operation and shapes.</summary>
public sealed class TorchException : ExternalException
{
    /// <summary>Creates the exception with a message.</summary>
    public TorchException(string message) : base(message) { }
}
