namespace Vae.MLNet.Trainers;

/// <summary>Entry points of the SDCA trainers: data and options in, a linear model and a summary out.</summary>
/// <remarks>
/// Results are deterministic for a given <c>seed</c> (it drives the per-pass shuffles); a null seed draws one.
/// Hyperparameters left null in the options are resolved as ML.NET does (see <see cref="SdcaDefaults"/>) and
/// reported in the summary; the options object is not modified.
/// </remarks>
internal static class SdcaSolver
{
    /// <summary>Trains binary logistic regression; a row is positive when its label is greater than 0.</summary>
    public static (LinearModel Model, SdcaSummary Summary) TrainBinary(
        ITrainingRows data, SdcaLogisticRegressionBinaryTrainer.Options options, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        OptionChecks.Require(options.PositiveInstanceWeight > 0, nameof(options.PositiveInstanceWeight), options.PositiveInstanceWeight, "positive");
        var (weights, summary) = Run(data, new SdcaLogLoss(options.PositiveInstanceWeight), 1, options, SdcaDefaults.ClassificationL2, seed);
        return (ToLinearModel(weights[0]), summary);
    }

    /// <summary>Trains linear regression with the squared loss.</summary>
    public static (LinearModel Model, SdcaSummary Summary) TrainRegression(
        ITrainingRows data, SdcaRegressionTrainer.Options options, int? seed = null)
    {
        var (weights, summary) = Run(data, new SdcaSquaredLoss(), 1, options, (_, rows) => SdcaDefaults.RegressionL2(rows), seed);
        return (ToLinearModel(weights[0]), summary);
    }

    /// <summary>Trains a softmax (maximum entropy) model over <paramref name="classCount"/> classes (labels 0-based).</summary>
    public static (MulticlassLinearModel Model, SdcaSummary Summary) TrainMulticlass(
        ITrainingRows data, int classCount, SdcaMaximumEntropyMulticlassTrainer.Options options, int? seed = null)
    {
        if (classCount < 2)
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "Multiclass training needs at least 2 classes.");
        ArgumentNullException.ThrowIfNull(data);
        data.ForEach((row, _, label, _) =>
        {
            if (!(label >= 0 && label < classCount && label == Math.Floor(label)))
                throw new ArgumentException($"The label of row {row} is {label}; expected a class index in [0, {classCount}).");
        });
        var (weights, summary) = Run(data, new SdcaSoftmaxLoss(classCount), classCount, options, SdcaDefaults.ClassificationL2, seed);
        var models = weights.Select(ToLinearModel).ToArray();
        return (new MulticlassLinearModel(models.Select(m => m.Weights).ToArray(), models.Select(m => m.Bias).ToArray()), summary);
    }

    private static (double[][] Weights, SdcaSummary Summary) Run(
        ITrainingRows data, ISdcaLoss loss, int outputs, SdcaOptionsBase options, Func<int, long, double> defaultL2, int? seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int rows = data.RowCount;
        int maxIterations = options.MaximumNumberOfIterations ?? SdcaDefaults.MaximumIterations(rows);
        double l2 = Math.Max(options.L2Regularization ?? defaultL2(maxIterations, rows), SdcaDefaults.MinimumL2);
        var settings = new SdcaSettings(
            l2,
            options.L1Regularization ?? SdcaDefaults.L1Threshold(data.FeatureCount),
            maxIterations,
            options.ConvergenceTolerance,
            options.BiasLearningRate,
            options.Shuffle,
            options.ConvergenceCheckFrequency ?? 1);
        var random = seed is int s ? new Random(s) : new Random();
        return new SdcaCoordinateAscent(loss, outputs, settings).Run(data, random);
    }

    /// <summary>Splits weights-then-bias into a <see cref="LinearModel"/>.</summary>
    private static LinearModel ToLinearModel(double[] weightsAndBias)
    {
        int d = weightsAndBias.Length - 1;
        var weights = new float[d];
        for (int j = 0; j < d; j++)
            weights[j] = (float)weightsAndBias[j];
        return new LinearModel(weights, (float)weightsAndBias[d]);
    }
}
