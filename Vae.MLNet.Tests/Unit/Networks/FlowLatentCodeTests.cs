using Microsoft.ML;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Unit.Networks;

/// <summary>
/// With FlowSteps, every method that walks the latent space starts from the latent code the reconstruction decodes
/// (the flow's image of μ), so Interpolate's ends are the endpoints' reconstructions and a traversal through a row's
/// own code passes through its reconstruction.
/// </summary>
[TestClass]
public sealed class FlowLatentCodeTests
{
    private static readonly LabelledRow[] Rows = SyntheticData.LinearGaussian(160, seed: 3);
    private static readonly Lazy<VaeTransformer> Model = new(() =>
    {
        var ml = new MLContext(seed: 1);
        return ml.Transforms.VaeEncode(new VaeOptions
        {
            LatentDimension = 2, HiddenDimensions = [16], Epochs = 12, BatchSize = 32, Seed = 2, FlowSteps = 2, LearningRate = 1e-2,
        }).Fit(ml.Data.LoadFromEnumerable(Rows));
    });

    [ClassCleanup]
    public static void Cleanup()
    {
        if (Model.IsValueCreated) Model.Value.Dispose();
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.IsTrue(worst < 1e-4, $"{what}: differs from the reconstruction by up to {worst}");
    }

    [TestMethod]
    public void TheFlowMovesTheCodeAwayFromTheGaussiansMean()
    {
        // Otherwise the tests below prove nothing: decoding the base μ must differ from the reconstruction.
        var model = Model.Value;
        double moved = Rows.Take(8).Max(r => model.Decode(model.Encode(r.Features).Mean).Zip(model.Reconstruct(r.Features), (a, b) => Math.Abs(a - b)).Max());
        Assert.IsTrue(moved > 1e-2, $"the trained flow moves the decoded code by only {moved}");
    }

    [TestMethod]
    public void InterpolationEndsAreTheReconstructionsOfTheEndpoints()
    {
        var model = Model.Value;
        foreach (var kind in new[] { VaeInterpolation.Linear, VaeInterpolation.Spherical })
            for (int i = 0; i < 6; i += 2)
            {
                var path = model.Interpolate(Rows[i].Features, Rows[i + 1].Features, 4, kind);
                AssertClose(model.Reconstruct(Rows[i].Features), path[0], $"{kind} start, row {i}");
                AssertClose(model.Reconstruct(Rows[i + 1].Features), path[^1], $"{kind} end, row {i + 1}");
            }
    }

    [TestMethod]
    public void ATraversalThroughTheRowsOwnCodePassesThroughItsReconstruction()
    {
        var model = Model.Value;
        for (int i = 0; i < 4; i++)
        {
            var x = Rows[i].Features;
            var code = model.LatentCode(x);
            for (int d = 0; d < 2; d++)
            {
                var path = model.Traverse(x, d, [code[d] - 1, code[d], code[d] + 1]);
                AssertClose(model.Reconstruct(x), path[1], $"row {i}, z{d} at its own value");
            }
        }
    }

    [TestMethod]
    public void TheLatentCodeIsTheFlowsImageOfTheMeanAndTheMeanWithoutAFlow()
    {
        var model = Model.Value;
        var x = Rows[5].Features;
        AssertClose(model.Reconstruct(x), model.Decode(model.LatentCode(x)), "Decode(LatentCode(x))");
        Assert.IsTrue(model.LatentCode(x).Zip(model.Encode(x).Mean, (a, b) => Math.Abs(a - b)).Max() > 1e-3, "with a flow the code is not μ");
        var ml = new MLContext(seed: 1);
        using var plain = ml.Transforms.VaeEncode(new VaeOptions { LatentDimension = 2, HiddenDimensions = [8], Epochs = 1, Seed = 2 }).Fit(ml.Data.LoadFromEnumerable(Rows));
        CollectionAssert.AreEqual(plain.Encode(x).Mean, plain.LatentCode(x));
    }
}
