using TorchSharp;
using Vae.MLNet.Networks;
using Vae.MLNet.Networks.Likelihoods;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Unit.Networks;

/// <summary>The masked, per-slot likelihood against hand-computed values, its gradients, and Mask against Refuse on the same weights.</summary>
[TestClass]
public sealed class ObservationModelTests
{
    private static readonly double Log2Pi = Math.Log(2 * Math.PI);

    // Slots 0–1 Gaussian (the default), 2 Bernoulli, 3–5 one categorical group.
    private static VaeNetworkSpec Spec(VaeMissingValues missing = VaeMissingValues.Mask, VaeSlotLikelihood[]? slots = null, VaeLikelihood likelihood = VaeLikelihood.Gaussian, int input = 6) => new()
    {
        Architecture = VaeArchitecture.Mlp, Likelihood = likelihood, InputDimension = input, LatentDimension = 2, HiddenDimensions = [5],
        LearnObservationVariance = true, ObservationVariance = 0.5, MissingValues = missing,
        SlotLikelihoods = slots ?? [new(2, 1, VaeSlotKind.Bernoulli), new(3, 3, VaeSlotKind.Categorical)],
    };

    private static torch.Tensor T(double[] values, long rows) => torch.tensor(values, [rows, values.Length / rows]);

    private static double Gaussian(double x, double mean, double logVariance) => 0.5 * ((x - mean) * (x - mean) / Math.Exp(logVariance) + logVariance + Log2Pi);

    private static double Bce(double logit, double x) => Math.Log(1 + Math.Exp(logit)) - x * logit;

    private static double MinusLogSoftmax(double[] logits, int k) => Math.Log(logits.Sum(Math.Exp)) - logits[k];

    [TestMethod]
    public void TheMaskedNegativeLogLikelihoodEqualsTheHandComputedValue()
    {
        using var scope = torch.NewDisposeScope();
        var model = ObservationModel.For(Spec())!;
        double nan = double.NaN;
        double[] x = [0.5, nan, 1, 0, 1, 0, /**/ nan, -1, nan, nan, nan, nan, /**/ 2, 0.1, 0, 0, 0, 1];
        double[] output = [0.2, 9, 0.3, 1, 2, -1, /**/ 3, -0.5, 2, 0, 0, 0, /**/ 1.5, -0.2, -0.7, 0.4, 0.1, -2];
        double[] lv = [-0.5, 0.3, 0, 0, 0, 0];
        var nll = model.NegativeLogLikelihood(T(output, 3), T(x, 3), torch.tensor(lv));
        double[] expected =
        [
            Gaussian(0.5, 0.2, -0.5) + Bce(0.3, 1) + MinusLogSoftmax([1, 2, -1], 1),
            Gaussian(-1, -0.5, 0.3),
            Gaussian(2, 1.5, -0.5) + Gaussian(0.1, -0.2, 0.3) + Bce(-0.7, 0) + MinusLogSoftmax([0.4, 0.1, -2], 2),
        ];
        TensorChecks.Close(expected, nll, 1e-12);
        // The reconstruction: Gaussian means, the Bernoulli probability, the group's softmax.
        var mean = model.Mean(T(output, 3));
        double Z = Math.Exp(1) + Math.Exp(2) + Math.Exp(-1);
        TensorChecks.Close([0.2, 9, 1 / (1 + Math.Exp(-0.3)), Math.Exp(1) / Z, Math.Exp(2) / Z, Math.Exp(-1) / Z], mean[0], 1e-12);
    }

    [TestMethod]
    public void TheCategoricalTermIsMinusLogSoftmaxOfTheTrueClass()
    {
        using var scope = torch.NewDisposeScope();
        var model = ObservationModel.For(Spec(VaeMissingValues.Refuse, [new(0, 5, VaeSlotKind.Categorical)], input: 5))!;
        var random = new Random(3);
        for (int trial = 0; trial < 20; trial++)
        {
            double[] logits = [.. Enumerable.Range(0, 5).Select(_ => random.NextDouble() * 10 - 5)];
            int k = random.Next(5);
            double[] target = new double[5];
            target[k] = 1;
            var nll = model.NegativeLogLikelihood(T(logits, 1), T(target, 1), null);
            Assert.AreEqual(MinusLogSoftmax(logits, k), nll.ToDouble(), 1e-12);
            using var reference = torch.nn.functional.cross_entropy(T(logits, 1), torch.tensor(new long[] { k }));
            Assert.AreEqual(reference.ToDouble(), nll.ToDouble(), 1e-12, "torch's cross entropy");
        }
    }

    [TestMethod]
    public void NoGradientFlowsFromMaskedSlotsAndTheRestMatchesFiniteDifferences()
    {
        using var scope = torch.NewDisposeScope();
        var model = ObservationModel.For(Spec())!;
        double nan = double.NaN;
        double[] x = [0.5, nan, nan, 0, 1, 0, /**/ nan, -1, 1, nan, nan, nan];
        double[] start = [0.2, 9, 0.3, 1, 2, -1, /**/ 3, -0.5, 2, 0.5, -0.5, 0];
        var lv = torch.tensor(new double[] { -0.5, 0.3, 0, 0, 0, 0 }).requires_grad_();
        var output = T(start, 2).requires_grad_();
        var target = T(x, 2);
        model.NegativeLogLikelihood(output, target, lv).sum().backward();
        var gradient = output.grad!.data<double>().ToArray();
        var lvGradient = lv.grad!.data<double>().ToArray();
        for (int i = 0; i < x.Length; i++)
        {
            bool missing = double.IsNaN(x[i]);
            Assert.IsTrue(double.IsFinite(gradient[i]), $"element {i}: gradient {gradient[i]}");
            if (missing) Assert.AreEqual(0.0, gradient[i], $"element {i} is missing: no gradient may come from it");
            else Assert.AreNotEqual(0.0, gradient[i], $"element {i} is observed");
            double h = 1e-6;
            double[] plus = (double[])start.Clone(), minus = (double[])start.Clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (model.NegativeLogLikelihood(T(plus, 2), target, lv.detach()).sum().ToDouble()
                - model.NegativeLogLikelihood(T(minus, 2), target, lv.detach()).sum().ToDouble()) / (2 * h);
            Assert.AreEqual(numeric, gradient[i], 1e-6, $"element {i}");
        }
        // The variance of slot 1 is seen only in row 2 (observed there), of slot 0 only in row 1.
        Assert.AreEqual(0.5 * (1 - Math.Pow(0.5 - 0.2, 2) / Math.Exp(-0.5)), lvGradient[0], 1e-12);
        Assert.AreEqual(0.5 * (1 - Math.Pow(-1 + 0.5, 2) / Math.Exp(0.3)), lvGradient[1], 1e-12);
        Assert.AreEqual(0.0, lvGradient[2], "the Bernoulli and categorical slots have no variance to learn");
    }

    [TestMethod]
    public void ChangingAMissingSlotsOutputChangesNothing()
    {
        using var scope = torch.NewDisposeScope();
        var model = ObservationModel.For(Spec())!;
        double nan = double.NaN;
        double[] x = [0.5, nan, 1, nan, nan, nan];
        var lv = torch.zeros(6, torch.ScalarType.Float64);
        double a = model.NegativeLogLikelihood(T([0.2, 9, 0.3, 1, 2, -1], 1), T(x, 1), lv).ToDouble();
        double b = model.NegativeLogLikelihood(T([0.2, -40, 0.3, 7, -3, 0], 1), T(x, 1), lv).ToDouble();
        Assert.AreEqual(a, b, 0.0);
    }

    [TestMethod]
    [DataRow(VaeLikelihood.Gaussian)]
    [DataRow(VaeLikelihood.Bernoulli)]
    public void WithoutNaNMaskGivesRefusesElboTermsOnTheSameWeights(VaeLikelihood likelihood)
    {
        // The masked encoder sees [x, 1…1]: its mask-channel weights act as a bias, so a Refuse network with the same
        // weights and that bias folded in computes the same posterior, and the masked likelihood over all-observed
        // slots is the plain one. (Its weights differ in shape, so "the same weights" is this folding.)
        using var scope = torch.NewDisposeScope();
        var masked = new VaeNetwork(Spec(VaeMissingValues.Mask, [], likelihood) with { SlotLikelihoods = null }, new torch.Generator(5));
        var plain = new VaeNetwork(Spec(VaeMissingValues.Refuse, [], likelihood) with { SlotLikelihoods = null }, new torch.Generator(6));
        using (torch.no_grad())
        {
            var state = masked.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
            var first = state["encoder.0.weight"];
            state["encoder.0.bias"] = state["encoder.0.bias"] + first.narrow(1, 6, 6).sum([1]);
            state["encoder.0.weight"] = first.narrow(1, 0, 6).contiguous();
            plain.load_state_dict(state);
        }
        torch.manual_seed(2);
        var x = likelihood == VaeLikelihood.Bernoulli ? torch.rand(8, 6) : torch.randn(8, 6);
        var (mMean, mLogVariance) = masked.Encode(x);
        var (pMean, pLogVariance) = plain.Encode(x);
        TensorChecks.Close(pMean.flatten().data<float>().Select(v => (double)v).ToArray(), mMean.flatten(), 1e-5);
        TensorChecks.Close(pLogVariance.flatten().data<float>().Select(v => (double)v).ToArray(), mLogVariance.flatten(), 1e-5);
        var z = torch.randn(8, 2);
        var mTerms = Elbo.Compute(masked.Decode(z), x, mMean, mLogVariance, masked.ObservationLogVariance(), likelihood, 1, observation: masked.Observation);
        var pTerms = Elbo.Compute(plain.Decode(z), x, pMean, pLogVariance, plain.ObservationLogVariance(), likelihood, 1);
        Assert.IsNotNull(masked.Observation);
        Assert.IsNull(plain.Observation, "a plain VAE keeps the plain likelihood path");
        TensorChecks.Close(pTerms.ReconstructionPerRow.data<float>().Select(v => (double)v).ToArray(), mTerms.ReconstructionPerRow, 1e-4);
        TensorChecks.Close(pTerms.KlPerRow.data<float>().Select(v => (double)v).ToArray(), mTerms.KlPerRow, 1e-5);
    }

    [TestMethod]
    public void AnEncoderInputWithNaNBecomesValuesAndMask()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new float[] { 1, float.NaN, -2, float.NaN }, [2, 2]);
        var input = MaskChannel.Append(x);
        CollectionAssert.AreEqual(new float[] { 1, 0, 1, 0, -2, 0, 1, 0 }, input.flatten().data<float>().ToArray());
    }
}
