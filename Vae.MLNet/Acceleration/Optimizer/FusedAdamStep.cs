using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Vae.MLNet.Acceleration.Optimizer;

/// <summary>
/// TorchSharp's Adam update done in one pass over each parameter's memory, in managed code, on the calling thread.
/// <c>torch.optim.Adam.step</c> runs about ten tensor ops per parameter (mul_, add_, addcmul_, sqrt, div, add_,
/// addcdiv_, …), each a full pass over memory plus native dispatch and Scalars freed only by the finalizer, a sizeable
/// part of each training step for the 650k parameters of a 784-400-20 VAE. The moments live in the optimizer's
/// own state (<see cref="Adam.State"/>), updated in place, which is what checkpoints save and restore.
/// The arithmetic is PyTorch's Adam without weight decay or amsgrad (which the VAE's training does not use):
/// m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², p ← p − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε).
/// One thread: splitting the pass across .NET pool threads was slower with two libtorch threads, as the pool threads
/// contend with libtorch's spinning OpenMP workers for the cores, and it made the next batch's copy slower too.
/// </summary>
internal sealed class FusedAdamStep : IAdamStep
{
    private readonly Adam _optimizer;
    private readonly Parameter[] _parameters;
    private readonly double _learningRate, _beta1, _beta2, _epsilon;

    private FusedAdamStep(Adam optimizer, Parameter[] parameters, double learningRate, double beta1, double beta2, double epsilon)
    {
        _optimizer = optimizer;
        _parameters = parameters;
        _learningRate = learningRate;
        _beta1 = beta1;
        _beta2 = beta2;
        _epsilon = epsilon;
    }

    /// <summary>The fused step for an optimizer made as <c>optim.Adam(parameters, lr)</c> (default betas and ε); null when a parameter is not a float32 CPU tensor.</summary>
    public static FusedAdamStep? TryCreate(Adam optimizer, IEnumerable<Parameter> parameters, double learningRate)
    {
        var list = parameters.ToArray();
        if (list.Any(p => p.device_type != TorchSharp.DeviceType.CPU || p.dtype != ScalarType.Float32 || !p.is_contiguous())) return null;
        var (beta1, beta2) = optimizer.Betas;
        return new FusedAdamStep(optimizer, list, learningRate, beta1, beta2, 1e-8);
    }

    /// <summary>One Adam update of every parameter with a gradient.</summary>
    public void Step()
    {
        var states = _optimizer.state_dict().State;
        for (int i = 0; i < _parameters.Length; i++)
        {
            using var gradient = _parameters[i].grad;
            if (gradient is null) continue;
            var state = (Adam.State)states[i];
            state.step++;
            float stepSize = (float)(_learningRate / (1 - Math.Pow(_beta1, state.step)));
            float inverseRootCorrection = (float)(1 / Math.Sqrt(1 - Math.Pow(_beta2, state.step)));
            Apply(Floats(_parameters[i]), Floats(gradient), Floats(state.exp_avg), Floats(state.exp_avg_sq),
                new Coefficients(_beta1, _beta2, stepSize, inverseRootCorrection, _epsilon));
        }
    }

    private static Span<float> Floats(Tensor tensor)
    {
        if (!tensor.is_contiguous() || tensor.dtype != ScalarType.Float32)
            throw new InvalidOperationException("Adam's state and gradients must be contiguous float32 tensors.");
        return MemoryMarshal.Cast<byte, float>(tensor.bytes);
    }

    /// <summary>The update's constants in float32, each rounded once from double (1 − 0.999f is 1.3e-5 off 0.001, which PyTorch's scalar is not).</summary>
    private readonly record struct Coefficients(float Beta1, float Beta2, float OneMinusBeta1, float OneMinusBeta2, float StepSize, float InverseRootCorrection, float Epsilon)
    {
        public Coefficients(double beta1, double beta2, float stepSize, float inverseRootCorrection, double epsilon)
            : this((float)beta1, (float)beta2, (float)(1 - beta1), (float)(1 - beta2), stepSize, inverseRootCorrection, (float)epsilon) { }
    }

    private static void Apply(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, Coefficients c)
    {
        float beta1 = c.Beta1, beta2 = c.Beta2, stepSize = c.StepSize, inverseRootCorrection = c.InverseRootCorrection, epsilon = c.Epsilon;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var b1 = Vector256.Create(beta1);
            var b2 = Vector256.Create(beta2);
            var c1 = Vector256.Create(c.OneMinusBeta1);
            var c2 = Vector256.Create(c.OneMinusBeta2);
            var size = Vector256.Create(stepSize);
            var root = Vector256.Create(inverseRootCorrection);
            var eps = Vector256.Create(epsilon);
            ref float rp = ref MemoryMarshal.GetReference(p);
            ref float rg = ref MemoryMarshal.GetReference(g);
            ref float rm = ref MemoryMarshal.GetReference(m);
            ref float rv = ref MemoryMarshal.GetReference(v);
            for (; i + Vector256<float>.Count <= p.Length; i += Vector256<float>.Count)
            {
                var gi = Vector256.LoadUnsafe(ref rg, (nuint)i);
                var mi = b1 * Vector256.LoadUnsafe(ref rm, (nuint)i) + c1 * gi;
                var vi = b2 * Vector256.LoadUnsafe(ref rv, (nuint)i) + c2 * gi * gi;
                var denominator = Vector256.Sqrt(vi) * root + eps;
                var pi = Vector256.LoadUnsafe(ref rp, (nuint)i) - size * mi / denominator;
                mi.StoreUnsafe(ref rm, (nuint)i);
                vi.StoreUnsafe(ref rv, (nuint)i);
                pi.StoreUnsafe(ref rp, (nuint)i);
            }
        }
        for (; i < p.Length; i++)
        {
            float gi = g[i];
            m[i] = beta1 * m[i] + c.OneMinusBeta1 * gi;
            v[i] = beta2 * v[i] + c.OneMinusBeta2 * gi * gi;
            p[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) * inverseRootCorrection + epsilon);
        }
    }
}
