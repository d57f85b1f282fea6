using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.ML;
using Microsoft.ML.Data;
using Vae.MLNet.Tests.Reliability;

namespace Vae.MLNet.Fuzz;

/// <summary>
/// Fuzzes the VAE's entries of a real model zip through <c>new MLContext().Model.Load</c>, then Transform of a few rows.
/// An input is three frames: the weight count the header declares (4 bytes), Vae.json, and the body of Weights.bin. The
/// harness seals them as a writer would (the settings' SHA-256 into Model.key, the digest after the weights), since the
/// fuzzer cannot forge a hash and would otherwise never get past the checks behind it.
/// </summary>
internal sealed class ModelTarget : ITarget
{
    private const string Header = ModelZip.Header, Settings = ModelZip.Settings, Weights = ModelZip.Weights;
    private readonly MLContext _ml = new(seed: 1);
    private readonly IDataView _data;
    private readonly List<(string Name, byte[] Bytes)> _template;
    private readonly string _folder;

    public ModelTarget()
    {
        _data = _ml.Data.LoadFromEnumerable(Rows.Make(16));
        using var vae = _ml.Transforms.VaeEncode(Rows.TinyVae()).Fit(_data);
        using var stream = new MemoryStream();
        _ml.Model.Save(vae, _data.Schema, stream);
        byte[] zip = stream.ToArray();
        _template = ModelZip.Entries(zip);
        _folder = ModelZip.VaeFolder(zip);
    }

    /// <summary>The seed: the saved model's own entries, framed.</summary>
    public IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        var header = Entry(Header);
        int at = (int)BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(0x10));
        yield return ("tiny-vae", Frames.Join(header[at..(at + 4)], Entry(Settings), Entry(Weights)[..^32]));
    }

    public byte[] Export(ReadOnlySpan<byte> input)
    {
        var parts = Frames.Split(input, 3);
        return Build(parts[0], parts[1], parts[2]);
    }

    public string Run(ReadOnlySpan<byte> input)
    {
        byte[] zip = Export(input);
        ITransformer model;
        try
        {
            model = _ml.Model.Load(new MemoryStream(zip, writable: false), out _);
        }
        catch (Exception e) when (Outcomes.Problem(e, Outcomes.IsDocumentedLoadError) is null)
        {
            return $"rejected: {Outcomes.Unwrap(e).Message}";
        }
        try
        {
            // Every output column read, as a user's Preview or PredictionEngine would.
            return $"loaded, transformed {model.Transform(_data).Preview(maxRows: 4).RowView.Length} rows";
        }
        catch (Exception e) when (Outcomes.Problem(e, Outcomes.IsDocumentedTransformError) is null)
        {
            return $"loaded, Transform refused the data: {e.Message}";
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
    }

    private byte[] Build(byte[] count, byte[] settings, byte[] weightsBody) =>
        ModelZip.Build(_template.Select(e => (e.Name,
            e.Name == _folder + Settings ? settings
            : e.Name == _folder + Weights ? [.. weightsBody, .. SHA256.HashData(weightsBody)]
            : e.Name == _folder + Header ? Sealed(e.Bytes, count, settings)
            : e.Bytes)), CompressionLevel.NoCompression);

    /// <summary>Model.key with the fuzzed weight count and the SHA-256 of the fuzzed settings in the VAE's model stream.</summary>
    private static byte[] Sealed(byte[] header, byte[] count, byte[] settings)
    {
        var copy = (byte[])header.Clone();
        int at = (int)BinaryPrimitives.ReadInt64LittleEndian(copy.AsSpan(0x10));
        count.AsSpan(0, Math.Min(4, count.Length)).CopyTo(copy.AsSpan(at));
        SHA256.HashData(settings).CopyTo(copy, at + 4);
        return copy;
    }

    private byte[] Entry(string name) => _template.Single(e => e.Name == _folder + name).Bytes;
}
