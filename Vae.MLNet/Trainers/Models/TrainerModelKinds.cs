using Vae.MLNet.Calibrators;
using Vae.MLNet.Trainers;

namespace Vae.MLNet;

internal static partial class BuiltInModelKinds
{
    static partial void RegisterTrainerKinds()
    {
        ModelLoadRegistry.Register(PredictionTransformerLoader.BinaryKind, PredictionTransformerLoader.LoadBinary);
        ModelLoadRegistry.Register(PredictionTransformerLoader.MulticlassKind, PredictionTransformerLoader.LoadMulticlass);
        ModelLoadRegistry.Register(PredictionTransformerLoader.RegressionKind, PredictionTransformerLoader.LoadRegression);
        ModelLoadRegistry.Register(LinearBinaryModelParameters.KindName, LinearBinaryModelParameters.Load);
        ModelLoadRegistry.Register(LinearRegressionModelParameters.KindName, LinearRegressionModelParameters.Load);
        ModelLoadRegistry.Register(OlsModelParameters.KindName, OlsModelParameters.Load);
        ModelLoadRegistry.Register(MaximumEntropyModelParameters.KindName, MaximumEntropyModelParameters.Load);
        ModelLoadRegistry.Register(PlattCalibrator.KindName, PlattCalibrator.Load);
        ModelLoadRegistry.Register(CalibratedModelParameters.KindName, CalibratedModelParameters.Load);
    }
}
