using Vae.MLNet.Calibrators;

namespace Vae.MLNet.Trainers;

/// <summary>Wraps a trained logistic regression as ML.NET does: the linear model with the sigmoid as its calibrator.</summary>
internal static class LogisticModel
{
    public static CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator> Calibrated(LinearModel model) =>
        new(new LinearBinaryModelParameters(model.Weights, model.Bias), PlattCalibrator.Logistic);
}
