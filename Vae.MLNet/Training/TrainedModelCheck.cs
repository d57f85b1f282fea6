using System.Globalization;
using static TorchSharp.torch;

namespace Vae.MLNet.Training;

/// <summary>
/// The guard every Fit ends with (the VAE's and the autoencoder's): the weights, the batch-norm statistics and the
/// outputs on the training rows must be finite, or the Fit fails naming what is not and the likely cause. The loop's
/// per-batch divergence check cannot see a last step that blows the weights up: its loss was computed before it.
/// </summary>
internal static class TrainedModelCheck
{
    /// <summary>Throws when a floating-point parameter or buffer of <paramref name="network"/> holds NaN or ±∞.</summary>
    /// <param name="network">The trained network.</param>
    /// <param name="when">When the check runs, for the message ("epoch 3").</param>
    /// <param name="causes">The likely causes and their remedies, one sentence.</param>
    /// <exception cref="InvalidOperationException">A weight or buffer is not finite; the message names it.</exception>
    public static void ThrowIfNonFinite(nn.Module network, string when, string causes)
    {
        using var scope = NewDisposeScope();
        foreach (var (name, tensor) in network.state_dict())
        {
            if (!tensor.is_floating_point()) continue;
            long bad = NonFiniteCount(tensor);
            if (bad == 0) continue;
            string kind = name.Contains("running_", StringComparison.Ordinal) ? "batch-norm statistic" : "weight";
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"Training left non-finite values (NaN or ±∞) in the {kind} '{name}' after {when} ({bad} of {tensor.numel()} values); {causes}"));
        }
    }

    /// <summary>Throws when <paramref name="output"/>, an output of the trained network on training rows, holds NaN or ±∞.</summary>
    /// <exception cref="InvalidOperationException">The output is not finite; the message names it.</exception>
    public static void ThrowIfNonFinite(Tensor output, string what, string causes)
    {
        long bad = NonFiniteCount(output);
        if (bad == 0) return;
        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
            $"After training, {what} is non-finite (NaN or ±∞) on {bad} of {output.numel()} values of the first training rows, although every weight is finite; {causes}"));
    }

    private static long NonFiniteCount(Tensor tensor)
    {
        using var finite = tensor.detach().isfinite();
        using var count = finite.count_nonzero();
        return finite.numel() - count.item<long>();
    }
}
