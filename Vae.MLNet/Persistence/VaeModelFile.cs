using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using Vae.MLNet.Columns;
using Vae.MLNet.Inference;
using Vae.MLNet.Networks;
using Vae.MLNet.Persistence;

[assembly: LoadableClass(typeof(Vae.MLNet.VaeTransformer), typeof(VaeModelFile), null, typeof(SignatureLoadModel), "Variational autoencoder", VaeModelFile.LoaderSignature)]

namespace Vae.MLNet.Persistence;

/// <summary>
/// The VAE's entries in ML.NET's model zip (see docs/model-format.md and <see cref="ModelEntries"/>): ML.NET's versioned
/// header, <c>Vae.json</c> (columns, network description, inference settings, training history) and <c>Weights.bin</c>. ML.NET finds <see cref="Create"/> through the LoadableClass attribute above, by the
/// loader signature and assembly name recorded in the header, so a fresh process needs no registration call.
/// </summary>
internal static class VaeModelFile
{
    internal const string LoaderSignature = "VaeTransformer";
    internal const string SettingsEntry = "Vae.json", WeightsEntry = ModelEntries.WeightsEntry, HeaderEntry = ModelEntries.HeaderEntry;

    internal static VersionInfo GetVersionInfo() => new(
        modelSignature: "VAETRANS",
        verWrittenCur: 0x00010001,
        verReadableCur: 0x00010001,
        verWeCanReadBack: 0x00010001,
        loaderSignature: LoaderSignature,
        loaderAssemblyName: typeof(VaeModelFile).Assembly.FullName);

    internal static JsonSerializerOptions Json => ModelEntries.Json;

    /// <summary>What <c>Vae.json</c> holds.</summary>
    internal sealed record SavedVae(VaeColumnNames Columns, VaeNetworkSpec Spec, VaeInferenceSettings Inference, VaeEpochMetrics[]? History);

    public static void Save(ModelSaveContext ctx, SavedVae saved, VaeNetwork network) =>
        ModelEntries.Save(ctx, GetVersionInfo(), SettingsEntry, saved, network);

    /// <summary>
    /// Called by ML.NET's loader, through reflection: what this throws reaches the caller of <c>Model.Load</c> as the
    /// InnerException of a <see cref="System.Reflection.TargetInvocationException"/>. The file is untrusted: everything
    /// is checked before the network is built (see <see cref="ModelEntries.Load"/>).
    /// </summary>
    private static VaeTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        string where = $"the VAE in the model ({ctx.Directory ?? "root"})";
        var (saved, arrays) = ModelEntries.Load<SavedVae>(ctx, GetVersionInfo(), SettingsEntry, where, Validate, s => MaxWeightsBytes(s.Spec));
        return VaeTransformer.FromSaved(saved, arrays, $"{where}, {WeightsEntry} (against the network {SettingsEntry} describes)");
    }

    private static void Validate(SavedVae saved)
    {
        if (saved.History?.Any(h => h is null) == true) throw new ArgumentException("a null in the training history.", nameof(saved.History));
        VaeNetworkSpecValidation.Validate(saved.Spec);
        saved.Inference.Validate();
        saved.Columns.Validate();
    }

    /// <summary>The most bytes the weights of the (already checked) network can take; a zip entry that inflates beyond it is refused first.</summary>
    internal static long MaxWeightsBytes(VaeNetworkSpec spec)
    {
        long weights = VaeNetworkSpecValidation.WeightCount(spec);
        long layers = spec.HiddenDimensions.Length * 2L + 8 + spec.FlowSteps + (spec.InferenceIterations > 0 ? 1 : 0);
        return WeightsFile.MaxBytes(weights, layers);
    }
}
