using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Unit.Training;

/// <summary>
/// After every Fit the model is checked: a step that leaves weights, batch-norm statistics or the outputs on the training
/// rows non-finite fails the Fit naming the likely cause, instead of returning a model whose outputs are NaN or ±∞.
/// The per-batch divergence check cannot see it: the loss of the last batch is computed before its step.
/// </summary>
[TestClass]
public sealed class FiniteModelGuardTests
{
    [TestMethod]
    public void AVaeFitWhoseLastStepBlowsUpTheWeightsFailsNamingLearningRate()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.LinearGaussian(16, seed: 3));
        foreach (bool batchNorm in new[] { false, true })
        {
            var options = new VaeOptions { LatentDimension = 2, HiddenDimensions = [8], Epochs = 1, BatchSize = 32, LearningRate = 1e30, Seed = 1, UseBatchNorm = batchNorm };
            var error = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Transforms.VaeEncode(options).Fit(data).Dispose(), $"UseBatchNorm {batchNorm}");
            Console.WriteLine(error.Message);
            StringAssert.Contains(error.Message, "LearningRate");
            StringAssert.Contains(error.Message, "non-finite");
        }
    }

    [TestMethod]
    public void AStepThatMakesAWeightInfiniteFailsTheFitNamingTheWeight()
    {
        // 1e39 is a finite double but not a finite float: Adam's first step makes the weights ±∞ or NaN.
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.LinearGaussian(16, seed: 3));
        var options = new VaeOptions { LatentDimension = 2, HiddenDimensions = [8], Epochs = 1, BatchSize = 32, LearningRate = 1e39, Seed = 1 };
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Transforms.VaeEncode(options).Fit(data).Dispose());
        Console.WriteLine(error.Message);
        StringAssert.Contains(error.Message, "in the weight '");
        StringAssert.Contains(error.Message, "after epoch 1");
        StringAssert.Contains(error.Message, "LearningRate");
    }

    [TestMethod]
    public void ANonFiniteBatchNormStatisticIsNamedAsOne()
    {
        using var module = TorchSharp.torch.nn.BatchNorm1d(3);
        using (TorchSharp.torch.no_grad())
        using (var nan = float.NaN.ToScalar())
            module.running_var!.fill_(nan);
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => Vae.MLNet.Training.TrainedModelCheck.ThrowIfNonFinite(module, "epoch 2", "causes."));
        StringAssert.Contains(error.Message, "batch-norm statistic 'running_var' after epoch 2 (3 of 3 values)");
    }

    [TestMethod]
    public void AnAutoencoderFitWhoseLastStepBlowsUpTheWeightsFailsNamingLearningRate()
    {
        var ml = new MLContext(seed: 1);
        var view = AutoencoderData.View(ml, AutoencoderData.Data.Value.Features[..16]);
        var options = AutoencoderData.Options(o => { o.Epochs = 1; o.BatchSize = 32; o.LearningRate = 1e30; });
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Transforms.AutoencoderEncode(options).Fit(view).Dispose());
        StringAssert.Contains(error.Message, "LearningRate");
        StringAssert.Contains(error.Message, "non-finite");
    }

    [TestMethod]
    public void AnEmptyStreamingTrainingSetIsRefusedByTheAutoencoderNamingTheColumn()
    {
        var ml = new MLContext(seed: 1);
        var rows = ml.Data.LoadFromEnumerable(NoRows(), AutoencoderSchema());
        Assert.IsNull(rows.GetRowCount(), "a stream that cannot tell it is empty before it is read");
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Transforms.AutoencoderEncode(AutoencoderData.Options()).Fit(rows).Dispose());
        StringAssert.Contains(error.Message, "no rows");
        StringAssert.Contains(error.Message, "Features");
    }

    private static IEnumerable<TabularRow> NoRows()
    {
        yield break;
    }

    private static SchemaDefinition AutoencoderSchema()
    {
        var schema = SchemaDefinition.Create(typeof(TabularRow));
        schema[nameof(TabularRow.Features)].ColumnType = new Microsoft.ML.Data.VectorDataViewType(Microsoft.ML.Data.NumberDataViewType.Single, 26);
        return schema;
    }
}
