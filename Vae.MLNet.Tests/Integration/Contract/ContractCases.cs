using Microsoft.ML;

namespace Vae.MLNet.Tests.Integration.Contract;

/// <summary>The estimators held to ML.NET's contract: the VAE in its shapes, the autoencoder, and ML.NET's PCA as the control.</summary>
internal static class ContractCases
{
    // Tiny networks, few rows, two epochs: the contract is about the plumbing, not the fit. 40 rows at BatchSize 16
    // leave a last batch of 8 (not 1: see issue 25's UseBatchNorm item).
    private static VaeOptions Vae(Action<VaeOptions>? change = null)
    {
        var options = new VaeOptions { LatentDimension = 2, HiddenDimensions = [8], Epochs = 2, BatchSize = 16, LearningRate = 1e-3, Seed = 1 };
        change?.Invoke(options);
        return options;
    }

    public static readonly ContractCase[] All =
    [
        new()
        {
            // The control: ML.NET's own transform must pass every check, or the checker is wrong about the contract.
            Name = "MLNetPca",
            Estimator = ml => ml.Transforms.ProjectToPrincipalComponents("Projected", "Features", rank: 3, seed: 1),
            AddedColumn = "Projected",
            FeatureSlotNames = true,
        },
        new()
        {
            Name = "VaeMlp",
            Estimator = ml => ml.Transforms.VaeEncode(Vae()),
            AddedColumn = "LatentMean",
            SlotNamedColumns = ["LatentMean", "LatentLogVariance", "Reconstruction"],
        },
        new()
        {
            Name = "VaeConvolutional",
            Estimator = ml => ml.Transforms.VaeEncode(Vae(o => { o.Architecture = VaeArchitecture.Convolutional; o.ImageShape = [1, 8, 8]; o.HiddenDimensions = [4, 8]; })),
            FeatureSize = 64,
            SizeFixedAtFit = true,
            AddedColumn = "LatentMean",
            SlotNamedColumns = ["LatentMean", "LatentLogVariance", "Reconstruction"],
        },
        new()
        {
            // The image shape read from the column's dimensions [C, H, W], as ExtractPixels writes them; a flat vector
            // of as many values does not say its shape, so Fit must refuse it as a schema error.
            Name = "VaeConvolutionalFromPixels",
            Estimator = ml => ml.Transforms.VaeEncode(Vae(o => { o.Architecture = VaeArchitecture.Convolutional; o.HiddenDimensions = [4, 8]; })),
            FeatureSize = 64,
            FeatureDimensions = [1, 8, 8],
            SizeFixedAtFit = true,
            AddedColumn = "Reconstruction",
            SlotNamedColumns = ["LatentMean", "LatentLogVariance", "Reconstruction"],
            MoreInvalidInputs = (ml, rows) => [new("Features a flat vector of 64 values", ContractData.View(ml, rows, 64), RefusedBy.Fit)],
        },
        new()
        {
            // The reconstruction replaces its input (which stays as a hidden column), with an anomaly score beside it.
            Name = "VaeBatchNormScoreInPlace",
            Estimator = ml => ml.Transforms.VaeEncode(Vae(o => { o.UseBatchNorm = true; o.AnomalyScoreColumnName = "AnomalyScore"; o.ReconstructionColumnName = "Features"; })),
            AddedColumn = "AnomalyScore",
            FeatureSlotNames = true,
            SlotNamedColumns = ["LatentMean", "LatentLogVariance", "Features"],
            InputSlotNamedColumns = ["Features"],
        },
        new()
        {
            Name = "VaeConditional",
            Estimator = ml => ml.Transforms.VaeEncode(Vae(o => o.ConditionColumnName = "Group")),
            AddedColumn = "LatentLogVariance",
            SlotNamedColumns = ["LatentMean", "LatentLogVariance", "Reconstruction"],
            MoreInvalidInputs = (ml, rows) =>
            [
                new("no Group column", ContractData.View(ml, rows, 8, groupName: "Other"), RefusedBy.EstimatorAndTransformer),
                new("Group a UInt32, not a key", ContractData.View(ml, rows, 8, groups: 0), RefusedBy.EstimatorAndTransformer),
                new("Group a key of 5 values", ContractData.View(ml, rows, 8, groups: 5), RefusedBy.Transformer),
            ],
        },
        new()
        {
            Name = "AutoencoderMlp",
            Estimator = ml => ml.Transforms.AutoencoderEncode(new AutoencoderOptions { LatentDimension = 2, HiddenDimensions = [8], Epochs = 2, BatchSize = 16, Seed = 1 }),
            AddedColumn = "Latent",
            FeatureSlotNames = true,
            SlotNamedColumns = ["Latent", "Reconstruction"],
            InputSlotNamedColumns = ["Reconstruction"],
        },
    ];
}
