namespace Vae.MLNet.Calibrators;

/// <summary>
/// Maps a binary classifier's score to a probability with a sigmoid: <c>P = 1 / (1 + exp(Slope * score + Offset))</c>.
/// </summary>
/// <remarks>
/// ML.NET's convention: a logistic-regression model is calibrated by <c>Slope = -1</c>, <c>Offset = 0</c>,
/// i.e. <c>P = sigmoid(score)</c>. Fit one to other scores with <see cref="PlattCalibratorTrainer"/>.
/// </remarks>
public sealed class PlattCalibrator : ICalibrator, ICanSaveModel
{
    internal const string KindName = "PlattCalibrator";

    /// <summary>Creates a calibrator with the given sigmoid parameters.</summary>
    internal PlattCalibrator(double slope, double offset)
    {
        if (!double.IsFinite(slope) || !double.IsFinite(offset))
            throw new ArgumentException($"Platt parameters must be finite; got slope {slope}, offset {offset}.");
        Slope = slope;
        Offset = offset;
    }

    /// <summary>The calibrator for logistic-regression scores: <c>P = sigmoid(score)</c>.</summary>
    internal static PlattCalibrator Logistic { get; } = new(-1, 0);

    /// <summary>Slope value for this calibrator.</summary>
    public double Slope { get; }

    /// <summary>Offset value for this calibrator.</summary>
    public double Offset { get; }

    /// <summary>Given a classifier output, produce the probability (NaN stays NaN).</summary>
    public float PredictProbability(float output) =>
        float.IsNaN(output) ? float.NaN : (float)Trainers.LogisticMath.Sigmoid(-(Slope * output + Offset));

    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.SetKind(KindName);
        ctx.WriteOptions(new Parameters { Slope = Slope, Offset = Offset });
    }

    internal static PlattCalibrator Load(ModelLoadContext ctx)
    {
        var p = ctx.ReadOptions<Parameters>();
        return new PlattCalibrator(p.Slope, p.Offset);
    }

    private sealed class Parameters
    {
        public double Slope { get; set; }

        public double Offset { get; set; }
    }
}
