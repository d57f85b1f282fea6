using Microsoft.ML;

namespace Vae.MLNet.Tests.Support;

/// <summary>The structured tabular rows and small options the autoencoder's tests train on.</summary>
internal static class AutoencoderData
{
    internal static readonly Lazy<TabularSet> Data = new(() => TabularData.Structured(600, seed: 21));

    internal static AutoencoderOptions Options(Action<AutoencoderOptions>? change = null)
    {
        var o = new AutoencoderOptions { LatentDimension = 3, HiddenDimensions = [32], Epochs = 15, BatchSize = 50, LearningRate = 3e-3, Seed = 4 };
        change?.Invoke(o);
        return o;
    }

    internal static IDataView View(MLContext ml, float[][]? rows = null) =>
        TabularData.Load(ml, rows ?? Data.Value.Features, Data.Value.Labels[..(rows ?? Data.Value.Features).Length]);
}
