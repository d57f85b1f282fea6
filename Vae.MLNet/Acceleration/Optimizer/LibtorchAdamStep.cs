using TorchSharp;
using TorchSharp.Modules;
using Vae.MLNet.Backend;
using static TorchSharp.torch;

namespace Vae.MLNet.Acceleration.Optimizer;

/// <summary>
/// PyTorch's Adam update (no weight decay, no amsgrad) in libtorch's own tensor operations, with every Scalar held
/// alive by this object or a <c>using</c> for the length of the call. TorchSharp 0.107's <c>Adam.step</c> passes
/// temporary Scalars it leaves unreferenced during the native call, so a garbage collection started by another
/// thread can free one while libtorch reads it (<see cref="Scalars"/>): the plain door cannot use it where other
/// threads run, as they do around a Transform that refines its posteriors. The moments live in the optimizer's own
/// state (<see cref="Adam.State"/>), as <c>step()</c> keeps them, so checkpoints save and restore the same thing.
/// m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², p ← p − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε).
/// </summary>
internal sealed class LibtorchAdamStep : IAdamStep
{
    private readonly Adam _optimizer;
    private readonly Parameter[] _parameters;
    private readonly double _learningRate, _beta1, _beta2;
    private readonly Scalar _beta1Scalar, _oneMinusBeta1, _beta2Scalar, _oneMinusBeta2, _epsilon;

    public LibtorchAdamStep(Adam optimizer, IEnumerable<Parameter> parameters, double learningRate)
    {
        _optimizer = optimizer;
        _parameters = [.. parameters];
        _learningRate = learningRate;
        (_beta1, _beta2) = optimizer.Betas;
        _beta1Scalar = _beta1.ToScalar();
        _oneMinusBeta1 = (1 - _beta1).ToScalar();
        _beta2Scalar = _beta2.ToScalar();
        _oneMinusBeta2 = (1 - _beta2).ToScalar();
        _epsilon = 1e-8.ToScalar();
    }

    /// <summary>One Adam update of every parameter with a gradient.</summary>
    public void Step()
    {
        using var noGrad = no_grad();
        // The in-place operations return new handles to the same tensors: the scope releases them.
        using var scope = NewDisposeScope();
        var states = _optimizer.state_dict().State;
        for (int i = 0; i < _parameters.Length; i++)
        {
            using var gradient = _parameters[i].grad;
            if (gradient is null) continue;
            var state = (Adam.State)states[i];
            state.step++;
            using var rootCorrection = Math.Sqrt(1 - Math.Pow(_beta2, state.step)).ToScalar();
            using var minusStepSize = (-_learningRate / (1 - Math.Pow(_beta1, state.step))).ToScalar();
            state.exp_avg.mul_(_beta1Scalar).add_(gradient, _oneMinusBeta1);
            state.exp_avg_sq.mul_(_beta2Scalar).addcmul_(gradient, gradient, _oneMinusBeta2);
            var denominator = state.exp_avg_sq.sqrt().div_(rootCorrection).add_(_epsilon, Scalars.One);
            _parameters[i].addcdiv_(state.exp_avg, denominator, minusStepSize);
        }
    }

}
