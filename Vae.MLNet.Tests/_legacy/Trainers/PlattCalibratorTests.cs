using Vae.MLNet.Calibrators;

namespace Vae.MLNet.Tests.Trainers;

[TestClass]
public sealed class PlattCalibratorTests
{
    [TestMethod]
    public void FitMatchesReferenceNewtonSolution()
    {
        float[] scores = [-2.0f, -1.5f, -1.0f, -0.5f, -0.2f, 0.0f, 0.3f, 0.6f, 1.0f, 1.4f, 2.0f, 2.5f];
        float[] labels = [0, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1];

        var calibrator = PlattCalibratorTrainer.Fit(scores, labels);

        // Python: Newton's method to convergence on Platt's likelihood with targets (P+1)/(P+2) and 1/(N+2).
        Assert.AreEqual(-0.6123371969970322, calibrator.Slope, 1e-6);
        Assert.AreEqual(0.1304255629534806, calibrator.Offset, 1e-6);
    }

    [TestMethod]
    public void FitRecoversTheGeneratingSigmoid()
    {
        var random = new Random(12);
        var scores = Enumerable.Range(0, 20_000).Select(_ => (float)(3 * TestData.Gaussian(random))).ToArray();
        var labels = scores.Select(s => random.NextDouble() < 1 / (1 + Math.Exp(-1.5 * s + 0.5)) ? 1f : 0f).ToArray();

        var calibrator = PlattCalibratorTrainer.Fit(scores, labels);

        Assert.AreEqual(-1.5, calibrator.Slope, 0.1);
        Assert.AreEqual(0.5, calibrator.Offset, 0.1);
    }

    [TestMethod]
    public void LogisticCalibratorIsTheSigmoidOfTheScore()
    {
        var calibrator = PlattCalibrator.Logistic;
        Assert.AreEqual(-1, calibrator.Slope);
        Assert.AreEqual(0, calibrator.Offset);
        Assert.AreEqual(1 / (1 + Math.Exp(-2.0)), calibrator.PredictProbability(2), 1e-7);
        Assert.AreEqual(0.5f, calibrator.PredictProbability(0));
        Assert.IsTrue(float.IsNaN(calibrator.PredictProbability(float.NaN)));
    }

    [TestMethod]
    public void FitNeedsBothClasses()
    {
        Assert.ThrowsException<ArgumentException>(() => PlattCalibratorTrainer.Fit([1f, 2f], [1f, 1f]));
    }
}
