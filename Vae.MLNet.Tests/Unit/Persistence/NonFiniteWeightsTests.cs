using System.Buffers.Binary;
using Microsoft.ML;
using Vae.MLNet.Tests.Support;
using Vae.MLNet.Tests.Support.ModelFiles;

namespace Vae.MLNet.Tests.Unit.Persistence;

/// <summary>
/// A model file is untrusted input: its checksum proves the bytes are as written, not that the weights are sane. A
/// Weights.bin whose values were edited to NaN or ±∞ (and its digest repaired, as a crafted file would) is refused by
/// Model.Load naming the entry and the array, for the VAE and the autoencoder.
/// </summary>
[TestClass]
public sealed class NonFiniteWeightsTests
{
    private static readonly MLContext Ml = new(seed: 1);
    private static readonly IDataView VaeData = Ml.Data.LoadFromEnumerable(ModelSamples.Rows(32));

    private static readonly Lazy<byte[]> SavedVae = new(() =>
    {
        using var model = Ml.Transforms.VaeEncode(new VaeOptions { LatentDimension = 2, HiddenDimensions = [8], Epochs = 1, BatchSize = 16, Seed = 3, UseBatchNorm = true }).Fit(VaeData);
        return ModelSamples.Save(Ml, model, VaeData.Schema);
    });

    /// <summary>The records with the float at <paramref name="index"/> of the record named <paramref name="name"/> set to <paramref name="value"/>.</summary>
    private static void Poison(List<WeightRecord> records, string name, int index, float value)
    {
        int at = records.FindIndex(r => r.Name == name);
        Assert.IsGreaterThanOrEqualTo(0, at, $"no array {name}: {string.Join(", ", records.Select(r => r.Name))}");
        var data = (byte[])records[at].Data.Clone();
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4 * index), value);
        records[at] = records[at] with { Data = data };
    }

    [TestMethod]
    public void AVaeWhoseWeightsWereEditedToNonFiniteValuesIsRefusedNamingTheArray()
    {
        var (_, records) = WeightsEdit.Parse(ModelZip.VaeEntry(SavedVae.Value, ModelZip.Weights));
        string weight = records.First(r => r.DType == 1 && r.Name.EndsWith("weight", StringComparison.Ordinal)).Name;
        string runningVariance = records.First(r => r.Name.EndsWith("running_var", StringComparison.Ordinal)).Name;
        foreach (var (name, value) in new[] { (weight, float.NaN), (weight, float.PositiveInfinity), (runningVariance, float.NaN) })
        {
            var edited = WeightsEdit.EditRecords(SavedVae.Value, list => Poison(list, name, 1, value));
            var error = ModelLoadCheck.ExpectRejected(edited, VaeData, ModelZip.Weights, $"'{name}'", "non-finite");
            Console.WriteLine(error.Message);
        }
    }

    [TestMethod]
    public void AnAutoencoderWhoseWeightsWereEditedToNaNIsRefusedNamingTheArray()
    {
        const string settings = "Autoencoder.json";
        var ml = new MLContext(seed: 1);
        var view = AutoencoderData.View(ml, AutoencoderData.Data.Value.Features[..40]);
        using var model = ml.Transforms.AutoencoderEncode(AutoencoderData.Options(o => o.Epochs = 1)).Fit(view);
        var saved = ModelSamples.Save(ml, model, view.Schema);
        string name = "";
        var edited = ModelZip.EditVaeEntry(saved, ModelZip.Weights, bytes =>
        {
            var (_, records) = WeightsEdit.Parse(bytes);
            name = records.First(r => r.DType == 1).Name;
            Poison(records, name, 0, float.NaN);
            return WeightsEdit.Write(records);
        }, settings: settings);
        ModelLoadCheck.ExpectRejected(edited, view, ModelZip.Weights, $"'{name}'", "non-finite");
    }
}
