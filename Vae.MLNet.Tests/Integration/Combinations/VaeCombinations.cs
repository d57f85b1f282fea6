using Microsoft.ML;
using Vae.MLNet.Columns;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Integration.Combinations;

/// <summary>The factors of VaeEncode that change the network, the objective or the data path, on a 16 → [4] → 2 VAE.</summary>
internal sealed class VaeCombinations : CombinationSubject<VaeOptions>
{
    public const int BatchSize = 8;
    private const int MissingValuesFactor = 3, FreeBitsFactor = 10, ValidationFactor = 14, RowsFactor = 15, Seed = 5;

    public override IReadOnlyList<CombinationFactor<VaeOptions>> Factors { get; } =
    [
        new("Architecture", ["Mlp", "Convolutional 1×4×4"], (o, l) =>
        {
            if (l == 1) { o.Architecture = VaeArchitecture.Convolutional; o.ImageShape = [1, 4, 4]; }
        }, [nameof(VaeOptions.Architecture), nameof(VaeOptions.ImageShape)]),
        new("Likelihood", ["Gaussian", "Bernoulli", "Gaussian + SlotLikelihoods"], (o, l) =>
        {
            if (l == 1) o.Likelihood = VaeLikelihood.Bernoulli;
            if (l == 2) o.SlotLikelihoods = CombinationData.Slots;
        }, [nameof(VaeOptions.Likelihood), nameof(VaeOptions.SlotLikelihoods)]),
        new("UseBatchNorm", ["false", "true"], (o, l) => o.UseBatchNorm = l == 1, [nameof(VaeOptions.UseBatchNorm)]),
        new("MissingValues", ["Refuse", "Mask (NaN in the data)"], (o, l) => o.MissingValues = l == 1 ? VaeMissingValues.Mask : VaeMissingValues.Refuse, [nameof(VaeOptions.MissingValues)]),
        new("Condition", ["none", "key", "vector"], (o, l) => o.ConditionColumnName = l switch { 1 => "Class", 2 => "ClassVector", _ => null }, [nameof(VaeOptions.ConditionColumnName)]),
        new("FlowSteps", ["0", "1"], (o, l) => o.FlowSteps = l, [nameof(VaeOptions.FlowSteps)]),
        new("InferenceIterations", ["0", "1"], (o, l) => o.InferenceIterations = l, [nameof(VaeOptions.InferenceIterations)]),
        new("RefinementSteps", ["0", "2"], (o, l) => o.RefinementSteps = 2 * l, [nameof(VaeOptions.RefinementSteps)]),
        new("ImportanceWeightedTraining", ["false", "true"], (o, l) => o.ImportanceWeightedTraining = l == 1, [nameof(VaeOptions.ImportanceWeightedTraining)]),
        new("SamplesPerPoint", ["1", "2"], (o, l) => o.SamplesPerPoint = l + 1, [nameof(VaeOptions.SamplesPerPoint)]),
        // Free bits act only on a dimension whose KL is below λ, and a KL below λ in every dimension has no gradient
        // (KL warm-up would then have nothing to scale): λ sits inside the KL per dimension these small networks have.
        new("FreeBits", ["0", "0.15"], (o, l) => o.FreeBits = 0.15 * l, [nameof(VaeOptions.FreeBits)]),
        // 2, not 1: epoch e trains with β·min(1, e / KlWarmupEpochs), so 1 would warm nothing up (and is refused).
        // With free bits, a warm-up scales nothing while every dimension's KL stays below λ (the clamped term has no
        // gradient): whether it does depends on the data, so its effect is not required there.
        new("KlWarmupEpochs", ["0", "2"], (o, l) => o.KlWarmupEpochs = 2 * l, [nameof(VaeOptions.KlWarmupEpochs)], EffectDependsOnData: levels => levels[FreeBitsFactor] > 0),
        new("InputCorruption", ["None", "Gaussian", "Masking"], (o, l) => o.InputCorruption = (VaeInputCorruption)l, [nameof(VaeOptions.InputCorruption)]),
        new("AnomalyScore", ["none", "ELBO", "IWAE 3"], (o, l) =>
        {
            if (l > 0) o.AnomalyScoreColumnName = "AnomalyScore";
            if (l == 2) o.AnomalyScoreImportanceSamples = 3;
        }, [nameof(VaeOptions.AnomalyScoreColumnName), nameof(VaeOptions.AnomalyScoreImportanceSamples)], l => l == 0 ? null : l - 1),
        new("ValidationFraction", ["0", "0.25"], (o, l) => o.ValidationFraction = 0.25 * l, [nameof(VaeOptions.ValidationFraction)]),
        // The same model either way within float32 rounding: no effect to require, but the combinations run both doors.
        new("UseOwnKernels", ["true", "false"], (o, l) => o.UseOwnKernels = l == 0, [nameof(VaeOptions.UseOwnKernels)], _ => null),
        new("Rows", CombinationData.LastBatchLevels, (_, _) => { }, [], _ => null),
    ];

    protected override VaeOptions BaseOptions() => new() { LatentDimension = 2, HiddenDimensions = [4], Epochs = 2, BatchSize = BatchSize, LearningRate = 1e-2, Seed = Seed };

    public override IEstimator<ITransformer> Estimator(MLContext ml, VaeOptions options) => ml.Transforms.VaeEncode(options);

    public override void OnProgress(VaeOptions options, Action report) => options.Progress = new Progress(report);

    public override string[] OutputColumns(VaeOptions options) =>
        [options.MeanColumnName, options.LogVarianceColumnName, options.ReconstructionColumnName, .. options.AnomalyScoreColumnName is { } score ? new[] { score } : []];

    public override string? ConditionColumn(VaeOptions options) => options.ConditionColumnName;

    public override CombinationRow[] Rows(int[] levels) =>
        CombinationData.Rows(TotalRows(levels[RowsFactor], 0.25 * levels[ValidationFactor]), missing: levels[MissingValuesFactor] == 1);

    /// <summary>
    /// The rows to give Fit so that the training split (what is left after the validation rows) ends in the wanted last
    /// mini-batch: the split is the library's own (DataViewBatchSource, by row id and seed), counted here.
    /// </summary>
    private static int TotalRows(int level, double validationFraction)
    {
        int rows = CombinationData.RowCount(BatchSize, level);
        if (validationFraction == 0) return rows;
        var ml = new MLContext();
        for (int total = rows; ; total++)
        {
            var view = ml.Data.LoadFromEnumerable(CombinationData.Rows(total, missing: false));
            var training = new Vae.MLNet.Training.DataViewBatchSource(view, view.Schema[nameof(CombinationRow.Features)], CombinationRow.Width, unitInterval: false,
                subset: Vae.MLNet.Training.RowSubset.Training, validationFraction: validationFraction, splitSeed: Seed);
            int count = training.GetBatches(1000, null).Sum(b => b.Rows);
            if (count >= 3 * BatchSize && count % BatchSize == rows % BatchSize) return total;
        }
    }

    public override float[][] Predict(MLContext ml, ITransformer model, CombinationRow[] rows, VaeOptions options)
    {
        if (options.AnomalyScoreColumnName is null)
        {
            // Not disposed: a PredictionEngine owns (and disposes) its transformer by ML.NET's default.
            var engine = ml.Model.CreatePredictionEngine<CombinationRow, VaePrediction>(model);
            return rows.Select(r => engine.Predict(r)).Select(p => (float[])[.. p.LatentMean, .. p.LatentLogVariance, .. p.Reconstruction]).ToArray();
        }
        var scoring = ml.Model.CreatePredictionEngine<CombinationRow, VaePredictionWithScore>(model);
        return rows.Select(r => scoring.Predict(r)).Select(p => (float[])[.. p.LatentMean, .. p.LatentLogVariance, .. p.Reconstruction, p.AnomalyScore]).ToArray();
    }

    /// <summary>Reports synchronously (System.Progress would post to the thread pool, after Fit has returned).</summary>
    private sealed class Progress(Action report) : IProgress<VaeEpochMetrics>
    {
        public void Report(VaeEpochMetrics value) => report();
    }
}
