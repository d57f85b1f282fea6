using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Vae.MLNet.Networks;

/// <summary>The fully connected encoder body and its mirrored decoder.</summary>
internal static class MlpLayers
{
    /// <summary>Encoder: (input + condition) → hidden₁ → … → hiddenₖ with ReLU; decoder: latent (+ condition) → hiddenₖ → … → hidden₁ → input.</summary>
    public static (MlpStack encoder, MlpStack decoder, int features) Build(VaeNetworkSpec spec)
    {
        var encoder = new List<nn.Module<Tensor, Tensor>>();
        int width = (int)Likelihoods.MaskChannel.EncoderInputDimension(spec) + spec.ConditionDimension;
        foreach (int hidden in spec.HiddenDimensions)
        {
            encoder.Add(torch.nn.Linear(width, hidden));
            if (spec.UseBatchNorm) encoder.Add(torch.nn.BatchNorm1d(hidden));
            encoder.Add(torch.nn.ReLU());
            width = hidden;
        }
        int features = width;

        var decoder = new List<nn.Module<Tensor, Tensor>>();
        width = spec.LatentDimension + spec.ConditionDimension;
        foreach (int hidden in spec.HiddenDimensions.Reverse())
        {
            decoder.Add(torch.nn.Linear(width, hidden));
            if (spec.UseBatchNorm) decoder.Add(torch.nn.BatchNorm1d(hidden));
            decoder.Add(torch.nn.ReLU());
            width = hidden;
        }
        decoder.Add(torch.nn.Linear(width, spec.InputDimension));
        return (new MlpStack(encoder), new MlpStack(decoder), features);
    }
}
