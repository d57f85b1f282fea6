using Microsoft.ML;
using Microsoft.ML.Runtime;
using Vae.MLNet.Autoencoder;
using Vae.MLNet.Persistence;

[assembly: LoadableClass(typeof(Vae.MLNet.AutoencoderTransformer), typeof(AutoencoderModelFile), null, typeof(SignatureLoadModel), "Autoencoder", AutoencoderModelFile.LoaderSignature)]

namespace Vae.MLNet.Autoencoder;

/// <summary>
/// The autoencoder's entries in ML.NET's model zip, laid out as the VAE's (<see cref="ModelEntries"/>): ML.NET's
/// versioned header, <c>Autoencoder.json</c> (columns, network description, training history) and <c>Weights.bin</c>.
/// ML.NET finds <see cref="Create"/> through the LoadableClass attribute above, so a fresh process needs no registration.
/// </summary>
internal static class AutoencoderModelFile
{
    internal const string LoaderSignature = "AutoencoderTransformer";
    internal const string SettingsEntry = "Autoencoder.json";

    internal static VersionInfo GetVersionInfo() => new(
        modelSignature: "AUTOENCT",
        verWrittenCur: 0x00010001,
        verReadableCur: 0x00010001,
        verWeCanReadBack: 0x00010001,
        loaderSignature: LoaderSignature,
        loaderAssemblyName: typeof(AutoencoderModelFile).Assembly.FullName);

    /// <summary>What <c>Autoencoder.json</c> holds.</summary>
    internal sealed record SavedAutoencoder(AutoencoderColumnNames Columns, AutoencoderNetworkSpec Spec, AutoencoderEpochMetrics[]? History);

    public static void Save(ModelSaveContext ctx, SavedAutoencoder saved, AutoencoderNetwork network) =>
        ModelEntries.Save(ctx, GetVersionInfo(), SettingsEntry, saved, network);

    /// <summary>Called by ML.NET's loader through reflection; the file is untrusted and checked before the network is built.</summary>
    private static AutoencoderTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        string where = $"the autoencoder in the model ({ctx.Directory ?? "root"})";
        var (saved, arrays) = ModelEntries.Load<SavedAutoencoder>(ctx, GetVersionInfo(), SettingsEntry, where, Validate,
            s => WeightsFile.MaxBytes(s.Spec.WeightCount(), 2L * s.Spec.HiddenDimensions.Length + 2));
        return AutoencoderTransformer.FromSaved(saved, arrays, $"{where}, {ModelEntries.WeightsEntry} (against the network {SettingsEntry} describes)");
    }

    private static void Validate(SavedAutoencoder saved)
    {
        if (saved.History?.Any(h => h is null) == true) throw new ArgumentException("a null in the training history.", nameof(saved.History));
        saved.Spec.Validate();
        saved.Columns.Validate();
    }
}
