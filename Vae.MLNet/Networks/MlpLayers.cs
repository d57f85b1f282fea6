using TorchSharp;
using TorchSharp.Modules;
using Vae.MLNet.Acceleration;
using static TorchSharp.torch;

namespace Vae.MLNet.Networks;

/// <summary>The fully connected encoder body and its mirrored decoder, Sequentials of <see cref="LinearLayer"/>, batch norm and ReLU.</summary>
internal static class MlpLayers
{
    /// <summary>Encoder: (input + condition) → hidden₁ → … → hiddenₖ with ReLU; decoder: latent (+ condition) → hiddenₖ → … → hidden₁ → input.</summary>
    public static (Sequential encoder, Sequential decoder, int features) Build(VaeNetworkSpec spec, IAcceleration acceleration)
    {
        var encoder = torch.nn.Sequential();
        int width = (int)Likelihoods.MaskChannel.EncoderInputDimension(spec) + spec.ConditionDimension;
        foreach (int hidden in spec.HiddenDimensions)
        {
            encoder.append(new LinearLayer(width, hidden, acceleration));
            if (spec.UseBatchNorm) encoder.append(torch.nn.BatchNorm1d(hidden));
            encoder.append(torch.nn.ReLU());
            width = hidden;
        }
        int features = width;

        var decoder = torch.nn.Sequential();
        width = spec.LatentDimension + spec.ConditionDimension;
        foreach (int hidden in spec.HiddenDimensions.Reverse())
        {
            decoder.append(new LinearLayer(width, hidden, acceleration));
            if (spec.UseBatchNorm) decoder.append(torch.nn.BatchNorm1d(hidden));
            decoder.append(torch.nn.ReLU());
            width = hidden;
        }
        decoder.append(new LinearLayer(width, spec.InputDimension, acceleration));
        return (encoder, decoder, features);
    }
}
