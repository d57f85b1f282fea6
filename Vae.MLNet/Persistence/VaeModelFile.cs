using System.Text;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using Vae.MLNet.Inference;
using Vae.MLNet.Networks;
using Vae.MLNet.Persistence;
using static TorchSharp.torch;

[assembly: LoadableClass(typeof(Vae.MLNet.VaeTransformer), typeof(VaeModelFile), null, typeof(SignatureLoadModel), "Variational autoencoder", VaeModelFile.LoaderSignature)]

namespace Vae.MLNet.Persistence;

/// <summary>
/// The VAE's entries in ML.NET's model zip (see docs/model-format.md): ML.NET's versioned header, <c>Vae.json</c>
/// (columns, network description, inference settings, training history) and <c>Weights.bin</c> (see
/// <see cref="WeightsFile"/>). ML.NET finds <see cref="Create"/> through the LoadableClass attribute above, by the
/// loader signature and assembly name recorded in the header, so a fresh process needs no registration call.
/// </summary>
internal static class VaeModelFile
{
    internal const string LoaderSignature = "VaeTransformer";
    internal const string SettingsEntry = "Vae.json", WeightsEntry = "Weights.bin";
    private const long MaxSettingsBytes = 16L << 20;

    internal static VersionInfo GetVersionInfo() => new(
        modelSignature: "VAETRANS",
        verWrittenCur: 0x00010001,
        verReadableCur: 0x00010001,
        verWeCanReadBack: 0x00010001,
        loaderSignature: LoaderSignature,
        loaderAssemblyName: typeof(VaeModelFile).Assembly.FullName);

    internal static readonly JsonSerializerOptions Json = new()
    {
        IncludeFields = true,
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        MaxDepth = 64,
        // A corrupt or hostile file must not smuggle a null into a non-nullable member or leave out a constructor parameter.
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>What <c>Vae.json</c> holds.</summary>
    internal sealed record SavedVae(VaeColumnNames Columns, VaeNetworkSpec Spec, VaeInferenceSettings Inference, VaeEpochMetrics[]? History);

    public static void Save(ModelSaveContext ctx, SavedVae saved, VaeNetwork network)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.CheckAtModel();
        ctx.SetVersionInfo(GetVersionInfo());
        var weights = network.state_dict().Select(kv => (kv.Key, kv.Value)).ToList();
        // The header records what the entries must hold, so a file whose entries were swapped is refused.
        ctx.Writer.Write(weights.Count);
        ctx.SaveBinaryStream(SettingsEntry, w => w.Write(JsonSerializer.SerializeToUtf8Bytes(saved, Json)));
        ctx.SaveBinaryStream(WeightsEntry, w => WeightsFile.Write(w.BaseStream, weights));
    }

    /// <summary>Called by ML.NET's loader. The file is untrusted: everything is checked before the network is built.</summary>
    private static VaeTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.CheckAtModel(GetVersionInfo());
        string where = $"the VAE in the model ({ctx.Directory ?? "root"})";
        int declaredWeights = ctx.Reader.ReadInt32();
        var saved = ReadSettings(ctx, where);
        var arrays = ReadEntry(ctx, WeightsEntry, Array.MaxLength, where, bytes => WeightsFile.Read(bytes, $"{where}, {WeightsEntry}"));
        if (arrays.Count != declaredWeights)
            throw new InvalidDataException($"{where}: {WeightsEntry} holds {arrays.Count} arrays but the header declares {declaredWeights}.");
        return VaeTransformer.FromSaved(saved, arrays, where);
    }

    private static SavedVae ReadSettings(ModelLoadContext ctx, string where)
    {
        SavedVae? saved;
        try
        {
            saved = ReadEntry(ctx, SettingsEntry, MaxSettingsBytes, where, bytes =>
            {
                if (!System.Text.Unicode.Utf8.IsValid(bytes)) throw new InvalidDataException($"{where}, {SettingsEntry}: not valid UTF-8 text.");
                return JsonSerializer.Deserialize<SavedVae>(bytes, Json);
            });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{where}, {SettingsEntry}: invalid ({e.Message}).", e);
        }
        if (saved is null || saved.History?.Any(h => h is null) == true)
            throw new InvalidDataException($"{where}, {SettingsEntry}: empty, or a null in the training history.");
        try
        {
            VaeNetworkSpecValidation.Validate(saved.Spec);
            saved.Inference.Validate();
            saved.Columns.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{where}: the saved VAE is invalid ({e.Message}).", e);
        }
        return saved;
    }

    private static T ReadEntry<T>(ModelLoadContext ctx, string entry, long maxBytes, string where, Func<byte[], T> parse)
    {
        T? result = default;
        bool found = ctx.TryLoadBinaryStream(entry, reader => result = parse(WeightsFile.ReadAll(reader.BaseStream, maxBytes, $"{where}, {entry}")));
        if (!found) throw new InvalidDataException($"{where}: the entry {entry} is missing.");
        return result!;
    }
}
