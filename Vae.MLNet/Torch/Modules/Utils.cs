using Vae.MLNet.Torch.Modules;
using Vae.MLNet.Torch.Native;

namespace Vae.MLNet.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>Training utilities (TorchSharp's torch.nn.utils).</summary>
        public static class utils
        {
            /// <summary>
            /// Rescales the gradients of <paramref name="parameters"/> in place so their joint L2 norm is at most
            /// <paramref name="max_norm"/>; returns the norm before clipping.
            /// </summary>
            public static unsafe double clip_grad_norm_(IEnumerable<Parameter> parameters, double max_norm)
            {
                ArgumentNullException.ThrowIfNull(parameters);
                var handles = parameters.Select(p => p.Handle).ToArray();
                fixed (IntPtr* p = handles)
                {
                    NativeMethods.Check(NativeMethods.vae_clip_grad_norm(p, handles.Length, max_norm, out double norm), "clip_grad_norm_");
                    return norm;
                }
            }
        }
    }
}
