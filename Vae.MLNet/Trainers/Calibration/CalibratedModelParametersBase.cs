using Vae.MLNet.Trainers;

namespace Vae.MLNet.Calibrators;

/// <summary>A binary model whose scores are mapped to probabilities by a calibrator.</summary>
/// <typeparam name="TSubModel">The model producing the raw score.</typeparam>
/// <typeparam name="TCalibrator">The calibrator producing the probability.</typeparam>
public class CalibratedModelParametersBase<TSubModel, TCalibrator> : ICanSaveModel, IProbabilityScorer
    where TSubModel : class
    where TCalibrator : class, ICalibrator
{
    private readonly IScalarScorer _scorer;

    internal CalibratedModelParametersBase(TSubModel subModel, TCalibrator calibrator)
    {
        ArgumentNullException.ThrowIfNull(subModel);
        ArgumentNullException.ThrowIfNull(calibrator);
        _scorer = subModel as IScalarScorer
            ?? throw new ArgumentException($"A {subModel.GetType().Name} does not produce one score per example, so it cannot be calibrated.", nameof(subModel));
        if (subModel is not ICanSaveModel || calibrator is not ICanSaveModel)
            throw new ArgumentException($"The sub-model ({subModel.GetType().Name}) and calibrator ({calibrator.GetType().Name}) must be savable.");
        SubModel = subModel;
        Calibrator = calibrator;
    }

    /// <summary>The model producing the raw score.</summary>
    public TSubModel SubModel { get; }

    /// <summary>The calibrator mapping the score to a probability.</summary>
    public TCalibrator Calibrator { get; }

    int IScalarScorer.FeatureCount => _scorer.FeatureCount;

    float IScalarScorer.Score(ReadOnlySpan<float> features) => _scorer.Score(features);

    float IProbabilityScorer.Probability(float score) => Calibrator.PredictProbability(score);

    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.SetKind(CalibratedModelParameters.KindName);
        ctx.SaveSubModel("SubModel", (ICanSaveModel)SubModel);
        ctx.SaveSubModel("Calibrator", (ICanSaveModel)Calibrator);
    }
}

/// <summary>Loads the calibrated models the library trains: a linear binary model with a Platt calibrator.</summary>
internal static class CalibratedModelParameters
{
    public const string KindName = "CalibratedModelParameters";

    public static CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator> Load(ModelLoadContext ctx) =>
        new(ctx.LoadSubModel<LinearBinaryModelParameters>("SubModel"), ctx.LoadSubModel<PlattCalibrator>("Calibrator"));
}
