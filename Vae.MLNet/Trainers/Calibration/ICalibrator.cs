namespace Vae.MLNet.Calibrators;

/// <summary>Maps a binary classifier's score to the probability of the positive class.</summary>
public interface ICalibrator
{
    /// <summary>Given a classifier output, produce the probability.</summary>
    float PredictProbability(float output);
}
