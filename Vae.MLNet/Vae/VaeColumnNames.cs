namespace Vae.MLNet;

/// <summary>The columns a fitted VAE reads and writes (saved with the model).</summary>
internal sealed record VaeColumnNames(string Input, string Mean, string LogVariance, string Reconstruction, string? AnomalyScore = null,
    ConditionColumn? Condition = null)
{
    public static VaeColumnNames From(VaeOptions o, ConditionColumn? condition) =>
        new(o.InputColumnName, o.MeanColumnName, o.LogVarianceColumnName, o.ReconstructionColumnName, o.AnomalyScoreColumnName, condition);
}
