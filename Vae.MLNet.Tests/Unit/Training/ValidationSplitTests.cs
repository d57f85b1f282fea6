using Microsoft.ML;
using Vae.MLNet.Training;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Unit.Training;

/// <summary>
/// A ValidationFraction that leaves either split empty is refused naming the option, the row count and the split sizes:
/// before training when the view knows its row count, at the end of the first epoch when it does not. It used to give a
/// NaN validation loss (and early stopping that never fires) or "The training data has no rows".
/// </summary>
[TestClass]
public sealed class ValidationSplitTests
{
    private static VaeOptions Options(double fraction, List<int> epochs) => new()
    {
        LatentDimension = 2, HiddenDimensions = [8], Epochs = 3, BatchSize = 16, Seed = 1, ValidationFraction = fraction, TrainingThreads = 1,
        Progress = new TrainingData.Reporter(m => epochs.Add(m.Epoch)),
    };

    private static InvalidOperationException Refused(IDataView view, double fraction, List<int> epochs) =>
        Assert.ThrowsExactly<InvalidOperationException>(() => new MLContext(seed: 1).Transforms.VaeEncode(Options(fraction, epochs)).Fit(view).Dispose());

    [TestMethod]
    public void AFractionThatLeavesNoValidationRowsIsRefusedBeforeTraining()
    {
        var ml = new MLContext(seed: 1);
        var epochs = new List<int>();
        // 1e-9 of 10 rows: no row hashes into the validation split.
        var error = Refused(ml.Data.LoadFromEnumerable(SyntheticData.LinearGaussian(10, seed: 3)), 1e-9, epochs);
        Console.WriteLine(error.Message);
        foreach (string fragment in new[] { "ValidationFraction", "10 rows", "10 training", "0 validation" })
            StringAssert.Contains(error.Message, fragment);
        Assert.IsEmpty(epochs, "refused before any epoch");
    }

    [TestMethod]
    public void AFractionThatLeavesNoTrainingRowsIsRefusedBeforeTraining()
    {
        var ml = new MLContext(seed: 1);
        var epochs = new List<int>();
        var error = Refused(ml.Data.LoadFromEnumerable(SyntheticData.LinearGaussian(3, seed: 3)), 0.999999, epochs);
        foreach (string fragment in new[] { "ValidationFraction", "3 rows", "0 training", "3 validation" })
            StringAssert.Contains(error.Message, fragment);
        Assert.IsEmpty(epochs, "refused before any epoch");
    }

    [TestMethod]
    public void AViewWithoutARowCountIsRefusedAtTheEndOfTheFirstEpoch()
    {
        var ml = new MLContext(seed: 1);
        var epochs = new List<int>();
        var error = Refused(TrainingData.Streaming(ml, SyntheticData.LinearGaussian(10, seed: 3)), 1e-9, epochs);
        foreach (string fragment in new[] { "ValidationFraction", "10 rows", "10 training", "0 validation" })
            StringAssert.Contains(error.Message, fragment);
        error = Refused(TrainingData.Streaming(ml, SyntheticData.LinearGaussian(3, seed: 3)), 0.999999, epochs);
        foreach (string fragment in new[] { "ValidationFraction", "3 rows", "0 training", "3 validation" })
            StringAssert.Contains(error.Message, fragment);
        Assert.IsEmpty(epochs, "no epoch is reported with an empty split");
    }

    [TestMethod]
    public void TheCountBeforeTrainingAgreesWithTheRowsEachPassReads()
    {
        // The count reads the ids of the view as given; training reads them through a pool shuffle when the view
        // cannot shuffle (and ML.NET's shuffle carries each row's id with it), validation through the view as given.
        var ml = new MLContext(seed: 1);
        var input = ml.Data.LoadFromEnumerable(SyntheticData.LinearGaussian(300, seed: 3));
        var column = input.Schema["Features"];
        var shuffled = ml.Data.ShuffleRows(input, seed: 5, shufflePoolSize: 10_000, shuffleSource: false);
        var training = new DataViewBatchSource(shuffled, column, SyntheticData.Dimension, false, subset: RowSubset.Training, validationFraction: 0.3, splitSeed: 7, unshuffled: input);
        var validation = new DataViewBatchSource(input, column, SyntheticData.Dimension, false, subset: RowSubset.Validation, validationFraction: 0.3, splitSeed: 7);
        var (inTraining, inValidation) = training.CountSplit();
        Assert.AreEqual(300, inTraining + inValidation);
        Assert.AreEqual(inTraining, training.GetBatches(32, shuffleSeed: 11).Sum(b => (long)b.Rows));
        Assert.AreEqual(inValidation, validation.GetBatches(32, shuffleSeed: null).Sum(b => (long)b.Rows));
        Assert.IsTrue(inValidation is > 50 and < 130, $"{inValidation} validation rows of 300 at 0.3");
    }

    [TestMethod]
    public void AFractionThatLeavesBothSplitsRowsStillTrainsWithAFiniteValidationLoss()
    {
        var ml = new MLContext(seed: 1);
        var epochs = new List<int>();
        using var model = new MLContext(seed: 1).Transforms.VaeEncode(Options(0.25, epochs)).Fit(ml.Data.LoadFromEnumerable(SyntheticData.LinearGaussian(64, seed: 3)));
        CollectionAssert.AreEqual(new[] { 1, 2, 3 }, epochs);
        Assert.IsTrue(model.TrainingHistory.All(h => h.ValidationLoss is double v && double.IsFinite(v)));
    }
}
