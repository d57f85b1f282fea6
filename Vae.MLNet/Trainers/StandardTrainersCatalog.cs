using Vae.MLNet.Trainers;

namespace Vae.MLNet;

/// <summary>The linear trainers on the task catalogs' <c>Trainers</c>, with ML.NET's parameters and defaults.</summary>
public static class StandardTrainersCatalog
{
    /// <summary>
    /// Multiclass maximum entropy (multinomial logistic regression) trained with L-BFGS. The label must be a key
    /// (as <c>MapValueToKey</c> produces); the features a known-size vector of Single.
    /// </summary>
    /// <param name="catalog">The multiclass trainer catalog.</param>
    /// <param name="labelColumnName">The label column: a key of UInt32.</param>
    /// <param name="featureColumnName">The feature column: a known-size vector of Single.</param>
    /// <param name="exampleWeightColumnName">The example-weight column (Single), or null to weigh every row 1.</param>
    /// <param name="l1Regularization">L1 regularization weight.</param>
    /// <param name="l2Regularization">L2 regularization weight.</param>
    /// <param name="optimizationTolerance">Relative improvement below which training stops.</param>
    /// <param name="historySize">Number of past updates kept to approximate the inverse Hessian.</param>
    /// <param name="enforceNonNegativity">Constrain the weights to be non-negative.</param>
    public static LbfgsMaximumEntropyMulticlassTrainer LbfgsMaximumEntropy(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = DefaultColumnNames.Label,
        string featureColumnName = DefaultColumnNames.Features,
        string? exampleWeightColumnName = null,
        float l1Regularization = 1,
        float l2Regularization = 1,
        float optimizationTolerance = 1e-7f,
        int historySize = 20,
        bool enforceNonNegativity = false) =>
        catalog.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            ExampleWeightColumnName = exampleWeightColumnName,
            L1Regularization = l1Regularization,
            L2Regularization = l2Regularization,
            OptimizationTolerance = optimizationTolerance,
            HistorySize = historySize,
            EnforceNonNegativity = enforceNonNegativity,
        });

    /// <summary>Multiclass maximum entropy trained with L-BFGS, with every setting given by <paramref name="options"/>.</summary>
    /// <param name="catalog">The multiclass trainer catalog.</param>
    /// <param name="options">The trainer options.</param>
    public static LbfgsMaximumEntropyMulticlassTrainer LbfgsMaximumEntropy(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, LbfgsMaximumEntropyMulticlassTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new(catalog.Context, options);
    }

    /// <summary>Multiclass maximum entropy trained with stochastic dual coordinate ascent.</summary>
    /// <param name="catalog">The multiclass trainer catalog.</param>
    /// <param name="labelColumnName">The label column: a key of UInt32.</param>
    /// <param name="featureColumnName">The feature column: a known-size vector of Single.</param>
    /// <param name="exampleWeightColumnName">The example-weight column (Single), or null to weigh every row 1.</param>
    /// <param name="l2Regularization">L2 regularization constant; null picks one from the data size.</param>
    /// <param name="l1Regularization">L1 soft threshold; null picks one from the feature count.</param>
    /// <param name="maximumNumberOfIterations">Maximum passes over the data; null picks one from the data size.</param>
    public static SdcaMaximumEntropyMulticlassTrainer SdcaMaximumEntropy(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = DefaultColumnNames.Label,
        string featureColumnName = DefaultColumnNames.Features,
        string? exampleWeightColumnName = null,
        float? l2Regularization = null,
        float? l1Regularization = null,
        int? maximumNumberOfIterations = null) =>
        catalog.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            ExampleWeightColumnName = exampleWeightColumnName,
            L2Regularization = l2Regularization,
            L1Regularization = l1Regularization,
            MaximumNumberOfIterations = maximumNumberOfIterations,
        });

    /// <summary>Multiclass maximum entropy trained with SDCA, with every setting given by <paramref name="options"/>.</summary>
    /// <param name="catalog">The multiclass trainer catalog.</param>
    /// <param name="options">The trainer options.</param>
    public static SdcaMaximumEntropyMulticlassTrainer SdcaMaximumEntropy(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, SdcaMaximumEntropyMulticlassTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new(catalog.Context, options);
    }

    /// <summary>Binary logistic regression trained with L-BFGS. The label must be Boolean.</summary>
    /// <param name="catalog">The binary classification trainer catalog.</param>
    /// <param name="labelColumnName">The label column: Boolean.</param>
    /// <param name="featureColumnName">The feature column: a known-size vector of Single.</param>
    /// <param name="exampleWeightColumnName">The example-weight column (Single), or null to weigh every row 1.</param>
    /// <param name="l1Regularization">L1 regularization weight.</param>
    /// <param name="l2Regularization">L2 regularization weight.</param>
    /// <param name="optimizationTolerance">Relative improvement below which training stops.</param>
    /// <param name="historySize">Number of past updates kept to approximate the inverse Hessian.</param>
    /// <param name="enforceNonNegativity">Constrain the weights to be non-negative.</param>
    public static LbfgsLogisticRegressionBinaryTrainer LbfgsLogisticRegression(
        this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = DefaultColumnNames.Label,
        string featureColumnName = DefaultColumnNames.Features,
        string? exampleWeightColumnName = null,
        float l1Regularization = 1,
        float l2Regularization = 1,
        float optimizationTolerance = 1e-7f,
        int historySize = 20,
        bool enforceNonNegativity = false) =>
        catalog.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            ExampleWeightColumnName = exampleWeightColumnName,
            L1Regularization = l1Regularization,
            L2Regularization = l2Regularization,
            OptimizationTolerance = optimizationTolerance,
            HistorySize = historySize,
            EnforceNonNegativity = enforceNonNegativity,
        });

    /// <summary>Binary logistic regression trained with L-BFGS, with every setting given by <paramref name="options"/>.</summary>
    /// <param name="catalog">The binary classification trainer catalog.</param>
    /// <param name="options">The trainer options.</param>
    public static LbfgsLogisticRegressionBinaryTrainer LbfgsLogisticRegression(
        this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, LbfgsLogisticRegressionBinaryTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new(catalog.Context, options);
    }

    /// <summary>Binary logistic regression trained with stochastic dual coordinate ascent. The label must be Boolean.</summary>
    /// <param name="catalog">The binary classification trainer catalog.</param>
    /// <param name="labelColumnName">The label column: Boolean.</param>
    /// <param name="featureColumnName">The feature column: a known-size vector of Single.</param>
    /// <param name="exampleWeightColumnName">The example-weight column (Single), or null to weigh every row 1.</param>
    /// <param name="l2Regularization">L2 regularization constant; null picks one from the data size.</param>
    /// <param name="l1Regularization">L1 soft threshold; null picks one from the feature count.</param>
    /// <param name="maximumNumberOfIterations">Maximum passes over the data; null picks one from the data size.</param>
    public static SdcaLogisticRegressionBinaryTrainer SdcaLogisticRegression(
        this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = DefaultColumnNames.Label,
        string featureColumnName = DefaultColumnNames.Features,
        string? exampleWeightColumnName = null,
        float? l2Regularization = null,
        float? l1Regularization = null,
        int? maximumNumberOfIterations = null) =>
        catalog.SdcaLogisticRegression(new SdcaLogisticRegressionBinaryTrainer.Options
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            ExampleWeightColumnName = exampleWeightColumnName,
            L2Regularization = l2Regularization,
            L1Regularization = l1Regularization,
            MaximumNumberOfIterations = maximumNumberOfIterations,
        });

    /// <summary>Binary logistic regression trained with SDCA, with every setting given by <paramref name="options"/>.</summary>
    /// <param name="catalog">The binary classification trainer catalog.</param>
    /// <param name="options">The trainer options.</param>
    public static SdcaLogisticRegressionBinaryTrainer SdcaLogisticRegression(
        this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, SdcaLogisticRegressionBinaryTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new(catalog.Context, options);
    }

    /// <summary>Linear regression trained with stochastic dual coordinate ascent. The label must be Single.</summary>
    /// <param name="catalog">The regression trainer catalog.</param>
    /// <param name="labelColumnName">The label column: Single.</param>
    /// <param name="featureColumnName">The feature column: a known-size vector of Single.</param>
    /// <param name="exampleWeightColumnName">The example-weight column (Single), or null to weigh every row 1.</param>
    /// <param name="lossFunction">The loss; null or <see cref="SquaredLoss"/> (the only one supported).</param>
    /// <param name="l2Regularization">L2 regularization constant; null picks one from the data size.</param>
    /// <param name="l1Regularization">L1 soft threshold; null picks one from the feature count.</param>
    /// <param name="maximumNumberOfIterations">Maximum passes over the data; null picks one from the data size.</param>
    public static SdcaRegressionTrainer Sdca(
        this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = DefaultColumnNames.Label,
        string featureColumnName = DefaultColumnNames.Features,
        string? exampleWeightColumnName = null,
        ISupportSdcaRegressionLoss? lossFunction = null,
        float? l2Regularization = null,
        float? l1Regularization = null,
        int? maximumNumberOfIterations = null) =>
        catalog.Sdca(new SdcaRegressionTrainer.Options
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            ExampleWeightColumnName = exampleWeightColumnName,
            LossFunction = lossFunction,
            L2Regularization = l2Regularization,
            L1Regularization = l1Regularization,
            MaximumNumberOfIterations = maximumNumberOfIterations,
        });

    /// <summary>Linear regression trained with SDCA, with every setting given by <paramref name="options"/>.</summary>
    /// <param name="catalog">The regression trainer catalog.</param>
    /// <param name="options">The trainer options.</param>
    public static SdcaRegressionTrainer Sdca(this RegressionCatalog.RegressionTrainers catalog, SdcaRegressionTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new(catalog.Context, options);
    }

    /// <summary>Ordinary least squares linear regression, solved exactly. The label must be Single.</summary>
    /// <param name="catalog">The regression trainer catalog.</param>
    /// <param name="labelColumnName">The label column: Single.</param>
    /// <param name="featureColumnName">The feature column: a known-size vector of Single.</param>
    /// <param name="exampleWeightColumnName">The example-weight column (Single), or null to weigh every row 1.</param>
    public static OlsTrainer Ols(
        this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = DefaultColumnNames.Label,
        string featureColumnName = DefaultColumnNames.Features,
        string? exampleWeightColumnName = null) =>
        catalog.Ols(new OlsTrainer.Options
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            ExampleWeightColumnName = exampleWeightColumnName,
        });

    /// <summary>Ordinary least squares linear regression, with every setting given by <paramref name="options"/>.</summary>
    /// <param name="catalog">The regression trainer catalog.</param>
    /// <param name="options">The trainer options.</param>
    public static OlsTrainer Ols(this RegressionCatalog.RegressionTrainers catalog, OlsTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new(catalog.Context, options);
    }
}
