using Vae.MLNet.Torch.Native;

namespace Vae.MLNet.Torch.Modules;

/// <summary>The native calls behind an optimizer handle: libtorch's own optimizers, or the shim's fused Adam.</summary>
internal abstract class OptimizerBackend
{
    public abstract int Step(IntPtr handle, int threads);
    public abstract int ZeroGrad(IntPtr handle, bool setToNone);
    public abstract int GetLearningRate(IntPtr handle, out double lr);
    public abstract int SetLearningRate(IntPtr handle, double lr);
    public abstract unsafe int Save(IntPtr handle, byte* buffer, long capacity, out long size);
    public abstract unsafe int Load(IntPtr handle, byte* buffer, long size);
    public abstract void Free(IntPtr handle);

    /// <summary>torch::optim::Adam, AdamW and SGD.</summary>
    public static readonly OptimizerBackend Libtorch = new LibtorchBackend();

    /// <summary>The shim's one-pass Adam/AdamW.</summary>
    public static readonly OptimizerBackend Fused = new FusedBackend();

    private sealed class LibtorchBackend : OptimizerBackend
    {
        public override int Step(IntPtr handle, int threads) => NativeMethods.vae_optim_step(handle);
        public override int ZeroGrad(IntPtr handle, bool setToNone) => NativeMethods.vae_optim_zero_grad(handle, setToNone);
        public override int GetLearningRate(IntPtr handle, out double lr) => NativeMethods.vae_optim_get_lr(handle, out lr);
        public override int SetLearningRate(IntPtr handle, double lr) => NativeMethods.vae_optim_set_lr(handle, lr);
        public override unsafe int Save(IntPtr handle, byte* buffer, long capacity, out long size) => NativeMethods.vae_optim_save(handle, buffer, capacity, out size);
        public override unsafe int Load(IntPtr handle, byte* buffer, long size) => NativeMethods.vae_optim_load(handle, buffer, size);
        public override void Free(IntPtr handle) => NativeMethods.vae_optim_free(handle);
    }

    private sealed class FusedBackend : OptimizerBackend
    {
        public override int Step(IntPtr handle, int threads) => NativeMethods.vae_fused_adam_step(handle, threads);

        // The fused optimizer always drops gradients (set to none), which is also what the next step expects.
        public override int ZeroGrad(IntPtr handle, bool setToNone) => NativeMethods.vae_fused_adam_zero_grad(handle);
        public override int GetLearningRate(IntPtr handle, out double lr) => NativeMethods.vae_fused_adam_lr(handle, -1, out lr);
        public override int SetLearningRate(IntPtr handle, double lr) => NativeMethods.vae_fused_adam_lr(handle, lr, out _);
        public override unsafe int Save(IntPtr handle, byte* buffer, long capacity, out long size) => NativeMethods.vae_fused_adam_save(handle, buffer, capacity, out size);
        public override unsafe int Load(IntPtr handle, byte* buffer, long size) => NativeMethods.vae_fused_adam_load(handle, buffer, size);
        public override void Free(IntPtr handle) => NativeMethods.vae_fused_adam_free(handle);
    }
}
