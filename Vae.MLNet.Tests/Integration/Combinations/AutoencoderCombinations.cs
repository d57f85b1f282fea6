using Microsoft.ML;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Integration.Combinations;

/// <summary>The factors of AutoencoderEncode: network, loss, regularizers and denoising, on a 16 → [4] → 2 autoencoder.</summary>
internal sealed class AutoencoderCombinations : CombinationSubject<AutoencoderOptions>
{
    public const int BatchSize = 8;
    private const int RowsFactor = 9;

    public override IReadOnlyList<CombinationFactor<AutoencoderOptions>> Factors { get; } =
    [
        // The hidden layers have no small default to compare with ([256]): a shape, not checked for an effect.
        new("HiddenDimensions", ["[4]", "[] (linear)"], (o, l) => o.HiddenDimensions = l == 0 ? [4] : [], [nameof(AutoencoderOptions.HiddenDimensions)], _ => null),
        new("LatentActivation", ["Identity", "Sigmoid"], (o, l) => o.LatentActivation = (AutoencoderLatentActivation)l, [nameof(AutoencoderOptions.LatentActivation)]),
        new("ReconstructionLoss", ["SquaredError", "BinaryCrossEntropy"], (o, l) => o.ReconstructionLoss = l == 1 ? ReconstructionLoss.BinaryCrossEntropy : ReconstructionLoss.SquaredError, [nameof(AutoencoderOptions.ReconstructionLoss)]),
        new("Sparsity", ["None", "L1", "KlToTarget"], (o, l) => o.Sparsity = (AutoencoderSparsity)l, [nameof(AutoencoderOptions.Sparsity)]),
        new("SparsityWeight", ["default", "0.05", "0"], (o, l) =>
        {
            if (l == 1) o.SparsityWeight = 0.05;
            if (l == 2) o.SparsityWeight = 0;
        }, [nameof(AutoencoderOptions.SparsityWeight)]),
        new("SparsityTarget", ["default", "0.2"], (o, l) =>
        {
            if (l == 1) o.SparsityTarget = 0.2;
        }, [nameof(AutoencoderOptions.SparsityTarget)]),
        new("ContractiveWeight", ["0", "0.1"], (o, l) => o.ContractiveWeight = 0.1 * l, [nameof(AutoencoderOptions.ContractiveWeight)]),
        new("Corruption", ["None", "Gaussian", "Masking"], (o, l) => o.Corruption = (CorruptionKind)l, [nameof(AutoencoderOptions.Corruption)]),
        new("CorruptionLevel", ["default", "0.1", "0"], (o, l) =>
        {
            if (l == 1) o.CorruptionLevel = 0.1;
            if (l == 2) o.CorruptionLevel = 0;
        }, [nameof(AutoencoderOptions.CorruptionLevel)]),
        new("ValidationFraction", ["0", "0.25"], (o, l) => o.ValidationFraction = 0.25 * l, [nameof(AutoencoderOptions.ValidationFraction)]),
        new("UseOwnKernels", ["true", "false"], (o, l) => o.UseOwnKernels = l == 0, [nameof(AutoencoderOptions.UseOwnKernels)], _ => null),
        new("Rows", CombinationData.LastBatchLevels, (_, _) => { }, [], _ => null),
    ];

    protected override AutoencoderOptions BaseOptions() => new() { LatentDimension = 2, HiddenDimensions = [4], Epochs = 2, BatchSize = BatchSize, LearningRate = 1e-2, Seed = 5 };

    public override IEstimator<ITransformer> Estimator(MLContext ml, AutoencoderOptions options) => ml.Transforms.AutoencoderEncode(options);

    public override void OnProgress(AutoencoderOptions options, Action report) => options.Progress = new Progress(report);

    public override string[] OutputColumns(AutoencoderOptions options) => [options.LatentColumnName, options.ReconstructionColumnName];

    /// <summary>The autoencoder has no ONNX export whatever its options: its refusal names it.</summary>
    public override string[] OnnxRefusalTerms => ["AutoencoderEncode"];

    public override CombinationRow[] Rows(int[] levels) => CombinationData.Rows(CombinationData.RowCount(BatchSize, levels[RowsFactor]), missing: false);

    public override float[][] Predict(MLContext ml, ITransformer model, CombinationRow[] rows, AutoencoderOptions options)
    {
        // Not disposed: a PredictionEngine owns (and disposes) its transformer by ML.NET's default.
        var engine = ml.Model.CreatePredictionEngine<CombinationRow, AutoencoderPrediction>(model);
        return rows.Select(r => engine.Predict(r)).Select(p => (float[])[.. p.Latent, .. p.Reconstruction]).ToArray();
    }

    private sealed class Progress(Action report) : IProgress<AutoencoderEpochMetrics>
    {
        public void Report(AutoencoderEpochMetrics value) => report();
    }
}
