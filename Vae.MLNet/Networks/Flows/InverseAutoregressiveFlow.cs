using Vae.MLNet.Backend;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Vae.MLNet.Networks.Flows;

/// <summary>
/// Inverse-autoregressive flow (Kingma et al. 2016) on the posterior's samples: K steps
/// z_k = z_{k−1} ⊙ exp(a_k) + m_k, where (m_k, a_k) = MADE_k(z_{k−1}, c) is autoregressive in z_{k−1} (output i sees
/// only the dimensions before i in step k's order), so ∂z_k/∂z_{k−1} is triangular with diagonal exp(a_k) and
/// log |det| = Σᵢ a_k,i. Successive steps reverse the order. The context c = (μ, log σ²) of the Gaussian q0 makes
/// the flow depend on x. Every step's output layers start at zero, so an untrained flow is the identity.
/// </summary>
/// <remarks>
/// IAF rather than planar flows: one IAF step transforms all dimensions at once with an exact, cheap log-determinant
/// and a sample in one pass, while a planar step is a rank-one change (Rezende &amp; Mohamed 2015 need tens of them).
/// </remarks>
internal sealed class InverseAutoregressiveFlow : nn.Module
{
    /// <summary>|a| ≤ this per dimension and step: a soft bound (a = s·tanh(raw / s)) that keeps exp(a) finite.</summary>
    internal const double MaxLogScale = 5;
    // A static Scalar, not an implicit conversion (Backend/Scalars).
    private static readonly Scalar MaxLogScaleScalar = MaxLogScale.ToScalar();

    private readonly int _latent;
    private readonly List<Step> _steps = [];

    public InverseAutoregressiveFlow(int latent, int steps, int hidden) : base(nameof(InverseAutoregressiveFlow))
    {
        _latent = latent;
        for (int k = 0; k < steps; k++)
        {
            var step = new Step(latent, hidden, reversed: k % 2 == 1);
            _steps.Add(step);
            register_module($"step{k}", step);
        }
    }

    public int Steps => _steps.Count;

    /// <summary>Sets every step's output layers to zero: the flow becomes the identity (log |det| = 0).</summary>
    public void ZeroOutputs()
    {
        using var noGrad = no_grad();
        foreach (var step in _steps) step.ZeroOutputs();
    }

    /// <summary>
    /// z_K and Σ_k log |det ∂z_k/∂z_{k−1}| for samples z0 of shape (…, latent) and a context broadcastable to
    /// (…, 2·latent); the log-determinant has the leading shape of z0.
    /// </summary>
    public (Tensor z, Tensor logDeterminant) Transform(Tensor z0, Tensor context)
    {
        using var scope = NewDisposeScope();
        var z = z0;
        Tensor? logDeterminant = null;
        foreach (var step in _steps)
        {
            var (shift, logScale) = step.Parameters(z, context);
            z = (z * logScale.exp()).Plus(shift);
            var stepLog = logScale.sum(-1);
            logDeterminant = logDeterminant is null ? stepLog : logDeterminant.Plus(stepLog);
        }
        logDeterminant ??= zeros(z0.shape[..^1], z0.dtype, z0.device);
        return (z.alias().MoveToOuterDisposeScope(), logDeterminant.MoveToOuterDisposeScope());
    }

    /// <summary>One MADE: masked input layer (plus the context), ReLU, masked outputs (plus the context directly, so the first dimension sees it too).</summary>
    private sealed class Step : nn.Module
    {
        private readonly int _latent;
        private readonly MaskedLinear _input;
        private readonly Linear _contextHidden;
        private readonly MaskedLinear _output;
        private readonly Linear _contextOutput;

        public Step(int latent, int hidden, bool reversed) : base(nameof(Step))
        {
            _latent = latent;
            // Degrees: input i has its position in the step's order (1..D); hidden units cycle through 1..D−1.
            var degree = Enumerable.Range(0, latent).Select(i => reversed ? latent - i : i + 1).ToArray();
            var hiddenDegree = Enumerable.Range(0, hidden).Select(h => latent == 1 ? 1 : h % (latent - 1) + 1).ToArray();
            var inputMask = new bool[hidden, latent];
            for (int h = 0; h < hidden; h++)
                for (int i = 0; i < latent; i++)
                    inputMask[h, i] = hiddenDegree[h] >= degree[i];
            // Outputs 0..D−1 are the shifts m, D..2D−1 the log-scales a, both of dimension o mod D: they see hidden units of lower degree only.
            var outputMask = new bool[2 * latent, hidden];
            for (int o = 0; o < 2 * latent; o++)
                for (int h = 0; h < hidden; h++)
                    outputMask[o, h] = degree[o % latent] > hiddenDegree[h];
            _input = new MaskedLinear(latent, hidden, inputMask);
            _contextHidden = nn.Linear(2 * latent, hidden, hasBias: false);
            _output = new MaskedLinear(hidden, 2 * latent, outputMask);
            _contextOutput = nn.Linear(2 * latent, 2 * latent, hasBias: false);
            register_module("input", _input);
            register_module("context_hidden", _contextHidden);
            register_module("output", _output);
            register_module("context_output", _contextOutput);
        }

        public void ZeroOutputs()
        {
            _output.Linear.weight!.zero_();
            _output.Linear.bias!.zero_();
            _contextOutput.weight!.zero_();
        }

        public (Tensor shift, Tensor logScale) Parameters(Tensor z, Tensor context)
        {
            using var scope = NewDisposeScope();
            var hidden = nn.functional.relu(_input.call(z).Plus(_contextHidden.call(context)));
            var output = _output.call(hidden).Plus(_contextOutput.call(context));
            var shift = output.narrow(-1, 0, _latent);
            var logScale = (output.narrow(-1, _latent, _latent) / MaxLogScaleScalar).tanh() * MaxLogScaleScalar;
            return (shift.MoveToOuterDisposeScope(), logScale.MoveToOuterDisposeScope());
        }
    }
}
