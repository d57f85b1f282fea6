using Vae.MLNet.Torch.Native;

namespace Vae.MLNet.Torch.Modules;

/// <summary>
/// A trainable tensor owned by a module. It is never owned by a dispose scope: it lives as long as its module.
/// </summary>
public sealed class Parameter : torch.Tensor
{
    /// <summary>Makes a leaf tensor over data's storage that (by default) requires gradients.</summary>
    public Parameter(torch.Tensor data, bool requires_grad = true)
        : base(Detached(data), ownedByScope: false)
    {
        this.requires_grad = requires_grad;
    }

    private static IntPtr Detached(torch.Tensor data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return NativeMethods.CheckHandle(NativeMethods.vae_unary(data.Handle, (int)UnaryOp.detach), "creating a parameter");
    }
}
