using TorchSharp.Modules;
using Vae.MLNet.Acceleration;
using Vae.MLNet.Backend;
using Vae.MLNet.Networks;
using static TorchSharp.torch;

namespace Vae.MLNet.Autoencoder;

/// <summary>
/// A deterministic autoencoder: the encoder h = f(x) = act(W_c · relu(W_L … relu(W_1 x + b_1) …) + b_c) and the
/// decoder g(h), which mirrors the hidden layers back to the input. Tensors are (rows, features).
/// </summary>
internal sealed class AutoencoderNetwork : nn.Module
{
    private readonly ModuleList<LinearLayer> _hidden;
    private readonly LinearLayer _latent;
    private readonly Sequential _decoder;

    /// <param name="spec">The network to build.</param>
    /// <param name="initialization">The generator of PyTorch's default initialization (so a seeded fit repeats), or null for libtorch's.</param>
    /// <param name="acceleration">How the layers compute; null: as the spec says and the process allows (<see cref="Accelerations.For"/>).</param>
    public AutoencoderNetwork(AutoencoderNetworkSpec spec, Generator? initialization = null, IAcceleration? acceleration = null) : base(nameof(AutoencoderNetwork))
    {
        TorchRuntime.EnsureLoaded();
        Spec = spec;
        Acceleration = acceleration ?? Accelerations.For(useOwnKernels: !spec.LibtorchOnly);
        _hidden = new ModuleList<LinearLayer>();
        int width = spec.InputDimension;
        foreach (int h in spec.HiddenDimensions)
        {
            _hidden.append(new LinearLayer(width, h, Acceleration));
            width = h;
        }
        _latent = new LinearLayer(width, spec.LatentDimension, Acceleration);
        _decoder = nn.Sequential();
        width = spec.LatentDimension;
        foreach (int h in spec.HiddenDimensions.Reverse())
        {
            _decoder.append(new LinearLayer(width, h, Acceleration));
            _decoder.append(nn.ReLU());
            width = h;
        }
        _decoder.append(new LinearLayer(width, spec.InputDimension, Acceleration));
        register_module("encoder", _hidden);
        register_module("latent", _latent);
        register_module("decoder", _decoder);
        if (initialization is not null) Initialize(initialization);
    }

    public AutoencoderNetworkSpec Spec { get; }

    /// <summary>How the layers compute, and what the training loop asks for its Adam step and thread share.</summary>
    internal IAcceleration Acceleration { get; }

    /// <summary>The encoder's first layer (for tests of the Jacobian).</summary>
    internal LinearLayer FirstLayer => _hidden.Count > 0 ? _hidden[0] : _latent;

    /// <summary>PyTorch's default initialization of Linear layers, U(±1/√fan_in) for weights and biases, drawn from <paramref name="generator"/>.</summary>
    private void Initialize(Generator generator)
    {
        using var noGrad = no_grad();
        foreach (var layer in _hidden.Append(_latent).Concat(_decoder.children().OfType<LinearLayer>()))
        {
            double bound = 1 / Math.Sqrt(layer.Weight.size(1));
            layer.Weight.uniform_(-bound, bound, generator);
            layer.Bias.uniform_(-bound, bound, generator);
        }
    }

    /// <summary>The code h = f(x).</summary>
    public Tensor Encode(Tensor x) => Encode(x, withJacobian: false).Code;

    /// <summary>
    /// The code h = f(x) and, when asked, ‖∂h/∂x‖²_F of every row, exactly. With J = G' W_c D_L W_L ⋯ D_1 W_1 (D_l the
    /// diagonal of relu' at layer l, G' that of the latent activation), the factor M = G' W_c D_L ⋯ W_2 D_1 is carried
    /// from the code back to the first layer, (rows, latent, width) at a time, and ‖M W_1‖²_F = Σ (M (W_1 W_1ᵀ)) ⊙ M
    /// needs only the first layer's Gram matrix, never the (rows, latent, input) Jacobian itself. Differentiable.
    /// </summary>
    public (Tensor Code, Tensor? JacobianNormSquared) Encode(Tensor x, bool withJacobian)
    {
        var derivatives = withJacobian ? new List<Tensor>() : null;
        var h = x;
        foreach (var layer in _hidden)
        {
            var preActivation = layer.call(h);
            derivatives?.Add(preActivation.gt(Scalars.Zero).to(x.dtype));
            h = preActivation.relu();
        }
        var code = _latent.call(h);
        Tensor? latentDerivative = null;
        if (Spec.LatentActivation == AutoencoderLatentActivation.Sigmoid)
        {
            code = code.sigmoid();
            if (withJacobian) latentDerivative = code * code.neg().Plus(Scalars.One);
        }
        if (!withJacobian) return (code, null);
        return (code, JacobianNormSquared(derivatives!, latentDerivative, x.size(0)));
    }

    private Tensor JacobianNormSquared(List<Tensor> reluDerivatives, Tensor? latentDerivative, long rows)
    {
        var latentWeight = _latent.Weight;
        // M = G' W_c, (rows, latent, width of the last hidden layer or of the input).
        var m = latentDerivative is null ? latentWeight.unsqueeze(0).expand(rows, -1, -1) : latentDerivative.unsqueeze(2) * latentWeight;
        if (reluDerivatives.Count == 0) return m.Squared().sum([1, 2]);
        for (int l = reluDerivatives.Count - 1; l >= 1; l--)
            m = (m * reluDerivatives[l].unsqueeze(1)).matmul(_hidden[l].Weight);
        m = m * reluDerivatives[0].unsqueeze(1);
        var firstWeight = _hidden[0].Weight;
        var gram = firstWeight.matmul(firstWeight.t());
        return (m.matmul(gram) * m).sum([1, 2]);
    }

    /// <summary>The decoder's raw output (rows, input): logits (Bernoulli) or values (Gaussian).</summary>
    public Tensor Decode(Tensor code) => _decoder.call(code);

    /// <summary>What the reconstruction column shows: sigmoid(logits) for Bernoulli, the output itself for Gaussian.</summary>
    public Tensor ToReconstruction(Tensor decoderOutput) =>
        Spec.Likelihood == VaeLikelihood.Bernoulli ? decoderOutput.sigmoid() : decoderOutput.alias();
}
