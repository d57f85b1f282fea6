using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Vae.MLNet.Tests.Support;
using Vae.MLNet.Tests.Support.ModelFiles;

namespace Vae.MLNet.Tests.Unit.Persistence;

/// <summary>
/// Model zips written by an earlier version of the library (checked in under Unit/Persistence/Fixtures with the rows they
/// were given and every column they produced, see <see cref="SavedModelFixtureGenerator"/>) still load in a fresh
/// MLContext and compute the same outputs. A change that breaks a saved model's format, or changes what a saved model
/// computes, fails here.
/// </summary>
/// <remarks>
/// Floating-point columns are compared within 1e-5 of max(1, |expected|), not bit for bit: the fixtures were written
/// on one CPU, and another x86-64 CPU runs the same float32 network through other kernels (libtorch's and MKL's
/// AVX2 or AVX-512 paths, the library's own packed kernels, SLEEF's vectorized exp/tanh), which sum in another order
/// and round transcendental functions differently by an ulp or so. Each layer of these tiny networks sums at most 64
/// terms of order one, so such differences stay near 1e-6 of the values' scale after a few layers; 1e-5 leaves a
/// margin of about ten while a changed weight, layer, activation or formula moves outputs by far more. The absolute
/// floor of 1e-5 serves values near zero, whose relative error is not meaningful. Keys and text compare exactly.
/// </remarks>
[TestClass]
public sealed class SavedModelCompatibilityTests
{
    private const double Tolerance = 1e-5;

    public static IEnumerable<object[]> Fixtures => SavedModelFixture.Names(SavedModelFixture.OutputFolder).Select(n => new object[] { n });

    [TestMethod]
    public void EveryKindOfSavedModelIsCheckedIn()
    {
        CollectionAssert.IsSubsetOf(
            new[] { "autoencoder", "vae-anomaly-score", "vae-conditional", "vae-convolutional", "vae-mlp-gaussian-in-chain" },
            SavedModelFixture.Names(SavedModelFixture.OutputFolder),
            $"the fixtures in {SavedModelFixture.OutputFolder} (is the csproj copying Unit/Persistence/Fixtures to the output?)");
    }

    [TestMethod]
    [DynamicData(nameof(Fixtures))]
    public void ASavedModelLoadsInAFreshContextAndComputesWhatItComputedWhenSaved(string name)
    {
        var fixture = SavedModelFixture.Read(SavedModelFixture.OutputFolder, name);
        var ml = new MLContext();
        var model = ml.Model.Load(Path.Combine(SavedModelFixture.OutputFolder, fixture.Model), out var inputSchema);
        try
        {
            var data = fixture.Data(ml);
            CollectionAssert.AreEqual(data.Schema.Select(c => c.Name).ToArray(), inputSchema.Select(c => c.Name).ToArray(), "the input schema saved with the model");

            var output = model.Transform(data);
            var actual = SavedModelFixture.ReadColumns(output);
            CollectionAssert.AreEquivalent(fixture.Outputs.Keys.ToArray(), actual.Keys.ToArray(), $"{name}: the output columns");
            foreach (var (column, expectedRows) in fixture.Outputs)
            {
                bool exact = output.Schema[column].Type is KeyDataViewType or TextDataViewType;
                var actualRows = actual[column];
                Assert.HasCount(expectedRows.Length, actualRows, $"{name}: rows of {column}");
                for (int row = 0; row < expectedRows.Length; row++)
                {
                    Assert.HasCount(expectedRows[row].Length, actualRows[row], $"{name}: values of {column} in row {row}");
                    for (int slot = 0; slot < expectedRows[row].Length; slot++)
                        AssertSame(expectedRows[row][slot], actualRows[row][slot], exact, $"{name}: {column}, row {row}, slot {slot}");
                }
            }
        }
        finally
        {
            ModelLoadCheck.Dispose(model);
        }
    }

    private static void AssertSame(JsonElement expected, JsonElement actual, bool exact, string where)
    {
        if (exact || expected.ValueKind != JsonValueKind.Number)
        {
            Assert.AreEqual(expected.ToString(), actual.ToString(), where);
            return;
        }
        double e = expected.GetDouble(), a = actual.GetDouble();
        Assert.IsTrue(double.IsFinite(a), $"{where}: {a} where {e} was saved");
        Assert.AreEqual(e, a, Tolerance * Math.Max(1, Math.Abs(e)), where);
    }
}
