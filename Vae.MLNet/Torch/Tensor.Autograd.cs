using Vae.MLNet.Torch.Native;

namespace Vae.MLNet.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        /// <summary>Backpropagates from this tensor (a scalar, or with an explicit output gradient).</summary>
        public void backward(Tensor? gradient = null, bool retain_graph = false) =>
            NativeMethods.Check(NativeMethods.vae_backward(Handle, gradient?.Handle ?? IntPtr.Zero, retain_graph),
                $"backward from a tensor of shape {ShapeString()}");

        /// <summary>
        /// Backpropagates from this scalar into <paramref name="inputs"/> only: no other leaf's gradient changes, so
        /// a shared, frozen network can be differentiated from several threads at once.
        /// </summary>
        public unsafe void backward(IList<Tensor> inputs)
        {
            ArgumentNullException.ThrowIfNull(inputs);
            var handles = inputs.Select(t => t.Handle).ToArray();
            fixed (IntPtr* p = handles)
                NativeMethods.Check(NativeMethods.vae_backward_inputs(Handle, p, handles.Length), $"backward from a tensor of shape {ShapeString()} into {handles.Length} inputs");
        }

        /// <summary>The gradient accumulated by backward, or null when there is none.</summary>
        public Tensor? grad
        {
            get
            {
                NativeMethods.Check(NativeMethods.vae_tensor_grad(Handle, out IntPtr g), "reading a gradient");
                return g == IntPtr.Zero ? null : new Tensor(g);
            }
        }

        /// <summary>Drops the accumulated gradient.</summary>
        internal void clear_grad() => NativeMethods.Check(NativeMethods.vae_tensor_clear_grad(Handle), "clearing a gradient");
    }
}
