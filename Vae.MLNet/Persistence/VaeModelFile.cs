using System.Security.Cryptography;
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
        // The header records what the entries must hold, so a file whose entries were swapped is refused, and the
        // settings' SHA-256 (ML.NET does not check the zip's CRC on read, so a flipped bit would otherwise pass).
        byte[] settings = JsonSerializer.SerializeToUtf8Bytes(saved, Json);
        ctx.Writer.Write(weights.Count);
        ctx.Writer.Write(SHA256.HashData(settings));
        ctx.SaveBinaryStream(SettingsEntry, w => w.Write(settings));
        ctx.SaveBinaryStream(WeightsEntry, w => WeightsFile.Write(w.BaseStream, weights));
    }

    /// <summary>
    /// Called by ML.NET's loader, through reflection: what this throws reaches the caller of <c>Model.Load</c> as the
    /// InnerException of a <see cref="System.Reflection.TargetInvocationException"/>. The file is untrusted: everything
    /// is checked before the network is built, and every failure is an <see cref="InvalidDataException"/> naming the
    /// model folder and the entry.
    /// </summary>
    private static VaeTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        string where = $"the VAE in the model ({ctx.Directory ?? "root"})";
        int declaredWeights;
        byte[] settingsDigest;
        try
        {
            // ML.NET's own checks (signature, version range) and reads throw FormatException or EndOfStreamException
            // that name neither the entry nor the versions; say both.
            ctx.CheckAtModel(GetVersionInfo());
            declaredWeights = ctx.Reader.ReadInt32();
            settingsDigest = ctx.Reader.ReadBytes(SHA256.HashSizeInBytes);
            if (settingsDigest.Length != SHA256.HashSizeInBytes) throw new EndOfStreamException("the header ends inside the settings' SHA-256.");
        }
        catch (Exception e) when (e is FormatException or EndOfStreamException or InvalidOperationException)
        {
            var header = ctx.Header;
            throw new InvalidDataException(
                $"{where}, {HeaderEntry}: not a VAE header this library reads (model signature '{Signature(header.ModelSignature)}', " +
                $"version 0x{header.ModelVerWritten:X8}, readable by 0x{header.ModelVerReadable:X8}; this library writes 0x{GetVersionInfo().VerWrittenCur:X8} " +
                $"and reads back to 0x{GetVersionInfo().VerWeCanReadBack:X8}): {e.Message}", e);
        }
        if (declaredWeights < 0)
            throw new InvalidDataException($"{where}, {HeaderEntry}: declares {declaredWeights} weight arrays.");
        var saved = ReadSettings(ctx, where, settingsDigest);
        var arrays = ReadEntry(ctx, WeightsEntry, MaxWeightsBytes(saved.Spec), where, bytes => WeightsFile.Read(bytes, $"{where}, {WeightsEntry}"));
        if (arrays.Count != declaredWeights)
            throw new InvalidDataException($"{where}: {WeightsEntry} holds {arrays.Count} arrays but the header ({HeaderEntry}) declares {declaredWeights}.");
        return VaeTransformer.FromSaved(saved, arrays, $"{where}, {WeightsEntry} (against the network {SettingsEntry} describes)");
    }

    /// <summary>ML.NET's name for the entry holding a transformer's header and its model stream.</summary>
    internal const string HeaderEntry = "Model.key";

    /// <summary>
    /// The most bytes the weights of the (already checked) network can take: every parameter and buffer of a layer is
    /// at most six times its weights (bias, batch norm's four, the observation variance), stored in at most 8 bytes, plus
    /// each array's record header. A zip entry that inflates beyond it is refused before it is held in memory.
    /// </summary>
    internal static long MaxWeightsBytes(VaeNetworkSpec spec)
    {
        long weights = VaeNetworkSpecValidation.WeightCount(spec);
        long layers = spec.HiddenDimensions.Length * 2L + 8 + spec.FlowSteps + (spec.InferenceIterations > 0 ? 1 : 0);
        return Math.Min(System.Array.MaxLength, 12 + 8 * 7 * weights + layers * 8 * (2 + MaxRecordHeaderBytes));
    }

    private const int MaxRecordHeaderBytes = 2 + 1024 + 2 + 8 * 8;

    private static string Signature(ulong signature)
    {
        var chars = BitConverter.GetBytes(signature).Select(b => b is >= 0x20 and < 0x7F ? (char)b : '?');
        return new string(chars.ToArray());
    }

    private static SavedVae ReadSettings(ModelLoadContext ctx, string where, byte[] digest)
    {
        SavedVae? saved;
        try
        {
            saved = ReadEntry(ctx, SettingsEntry, MaxSettingsBytes, where, bytes =>
            {
                if (!SHA256.HashData(bytes).AsSpan().SequenceEqual(digest))
                    throw new InvalidDataException($"{where}, {SettingsEntry}: checksum mismatch with the SHA-256 in {HeaderEntry}; the file is corrupt.");
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
        if (MLNetInternals.DeclaredEntryLength(ctx, entry) is long declared && declared > maxBytes)
            throw new InvalidDataException($"{where}, {entry}: the zip declares {declared} bytes for it, more than the limit of {maxBytes} bytes; refused before it is inflated.");
        T? result = default;
        bool parsed = false, found;
        try
        {
            found = ctx.TryLoadBinaryStream(entry, reader =>
            {
                var bytes = WeightsFile.ReadAll(reader.BaseStream, maxBytes, $"{where}, {entry}");
                parsed = true;
                result = parse(bytes);
            });
        }
        catch (Exception e) when (!parsed && e is InvalidDataException or FormatException or IOException && !e.Message.StartsWith(where, StringComparison.Ordinal))
        {
            // ML.NET opens (inflates) the zip entry here: a damaged entry fails in System.IO.Compression, naming nothing.
            throw new InvalidDataException($"{where}, {entry}: the zip entry cannot be read ({e.Message}).", e);
        }
        if (!found) throw new InvalidDataException($"{where}: the entry {entry} is missing.");
        return result!;
    }
}
