namespace Vae.MLNet.Trainers;

/// <summary>Entry points of the L-BFGS trainers: data and options in, a linear model and a summary out.</summary>
internal static class LbfgsSolver
{
    /// <summary>Trains binary logistic regression; a row is positive when its label is greater than 0.</summary>
    public static (LinearModel Model, LbfgsSummary Summary) TrainBinary(
        ITrainingRows data, LbfgsLogisticRegressionBinaryTrainer.Options options)
    {
        var (x, summary) = Minimize(data, 1, options);
        return (new LinearModel(ToFloat(x.AsSpan(1)), (float)x[0]), summary);
    }

    /// <summary>Trains multinomial logistic regression over <paramref name="classCount"/> classes (labels 0-based).</summary>
    public static (MulticlassLinearModel Model, LbfgsSummary Summary) TrainMulticlass(
        ITrainingRows data, int classCount, LbfgsMaximumEntropyMulticlassTrainer.Options options)
    {
        if (classCount < 2)
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "Multiclass training needs at least 2 classes.");
        var (x, summary) = Minimize(data, classCount, options);
        int d = data.FeatureCount;
        var weights = new float[classCount][];
        for (int c = 0; c < classCount; c++)
            weights[c] = ToFloat(x.AsSpan(classCount + c * d, d));
        return (new MulticlassLinearModel(weights, ToFloat(x.AsSpan(0, classCount))), summary);
    }

    private static (double[] X, LbfgsSummary Summary) Minimize(ITrainingRows data, int classCount, LbfgsOptionsBase options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var objective = new LogisticObjective(data, classCount, options.L2Regularization);
        // ML.NET divides the L1 weight by the row count (the smooth part is divided by the weight sum).
        var optimizer = new OwlqnOptimizer(options.HistorySize, options.OptimizationTolerance, options.MaximumNumberOfIterations,
            options.L1Regularization / (double)data.RowCount, unpenalizedCount: classCount, options.EnforceNonNegativity);
        return optimizer.Minimize(objective.Evaluate, new double[objective.ParameterCount]);
    }

    private static float[] ToFloat(ReadOnlySpan<double> values)
    {
        var result = new float[values.Length];
        for (int i = 0; i < values.Length; i++)
            result[i] = (float)values[i];
        return result;
    }
}
