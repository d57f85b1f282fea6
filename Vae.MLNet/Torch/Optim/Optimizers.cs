using Vae.MLNet.Torch.Native;

namespace Vae.MLNet.Torch.Modules;

/// <summary>Checks optimizer hyper-parameters before they reach libtorch.</summary>
internal static class OptimizerChecks
{
    internal static void Validate(double lr, double beta1 = 0, double beta2 = 0, double eps = 1, double weightDecay = 0)
    {
        if (!(lr >= 0) || double.IsInfinity(lr)) throw new ArgumentOutOfRangeException(nameof(lr), $"Learning rate must be a finite non-negative number, got {lr}.");
        if (beta1 is < 0 or >= 1 || beta2 is < 0 or >= 1 || double.IsNaN(beta1) || double.IsNaN(beta2))
            throw new ArgumentOutOfRangeException(nameof(beta1), $"Betas must be in [0, 1), got ({beta1}, {beta2}).");
        if (!(eps > 0)) throw new ArgumentOutOfRangeException(nameof(eps), $"eps must be positive, got {eps}.");
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay), $"Weight decay must be non-negative, got {weightDecay}.");
    }
}

/// <summary>Adam.</summary>
public class Adam : torch.optim.Optimizer
{
    internal Adam(IEnumerable<Parameter> parameters, double lr, double beta1, double beta2, double eps, double weightDecay, bool amsgrad,
        bool decoupled, bool fused)
        : base(parameters, handles => Create(handles, lr, beta1, beta2, eps, weightDecay, amsgrad, decoupled, fused),
            decoupled ? nameof(AdamW) : nameof(Adam), fused ? OptimizerBackend.Fused : OptimizerBackend.Libtorch) { }

    private static unsafe IntPtr Create(IntPtr[] handles, double lr, double beta1, double beta2, double eps, double weightDecay, bool amsgrad,
        bool decoupled, bool fused)
    {
        OptimizerChecks.Validate(lr, beta1, beta2, eps, weightDecay);
        if (fused && amsgrad) throw new ArgumentException("The fused Adam has no amsgrad variant.", nameof(amsgrad));
        fixed (IntPtr* p = handles)
            return fused
                ? NativeMethods.vae_fused_adam_new(p, handles.Length, lr, beta1, beta2, eps, weightDecay, decoupled)
                : NativeMethods.vae_optim_adam(p, handles.Length, decoupled ? 1 : 0, lr, beta1, beta2, eps, weightDecay, amsgrad);
    }
}

/// <summary>AdamW.</summary>
public sealed class AdamW : Adam
{
    internal AdamW(IEnumerable<Parameter> parameters, double lr, double beta1, double beta2, double eps, double weightDecay, bool amsgrad, bool fused)
        : base(parameters, lr, beta1, beta2, eps, weightDecay, amsgrad, decoupled: true, fused) { }
}

/// <summary>SGD.</summary>
public sealed class SGD : torch.optim.Optimizer
{
    internal unsafe SGD(IEnumerable<Parameter> parameters, double lr, double momentum, double dampening, double weightDecay, bool nesterov)
        : base(parameters, handles =>
        {
            OptimizerChecks.Validate(lr, weightDecay: weightDecay);
            if (!(momentum >= 0)) throw new ArgumentOutOfRangeException(nameof(momentum), $"Momentum must be non-negative, got {momentum}.");
            if (nesterov && (momentum <= 0 || dampening != 0))
                throw new ArgumentException("Nesterov momentum needs a positive momentum and zero dampening.", nameof(nesterov));
            fixed (IntPtr* p = handles) return NativeMethods.vae_optim_sgd(p, handles.Length, lr, momentum, dampening, weightDecay, nesterov);
        }, nameof(SGD)) { }
}
