namespace Vae.MLNet.Columns;

/// <summary>The columns a fitted VAE reads and writes (saved with the model).</summary>
internal sealed record VaeColumnNames(string Input, string Mean, string LogVariance, string Reconstruction, string? AnomalyScore = null,
    ConditionColumn? Condition = null)
{
    public static VaeColumnNames From(VaeOptions o, ConditionColumn? condition) =>
        new(o.InputColumnName, o.MeanColumnName, o.LogVarianceColumnName, o.ReconstructionColumnName, o.AnomalyScoreColumnName, condition);

    /// <exception cref="ArgumentException">A name is empty, or two output columns share a name.</exception>
    public void Validate()
    {
        var outputs = new[] { Mean, LogVariance, Reconstruction, AnomalyScore }.OfType<string>().ToArray();
        if (string.IsNullOrWhiteSpace(Input) || outputs.Any(string.IsNullOrWhiteSpace) || AnomalyScore is "")
            throw new ArgumentException("Every column needs a name.", nameof(Input));
        if (outputs.Distinct().Count() != outputs.Length)
            throw new ArgumentException($"The output columns must differ: {string.Join(", ", outputs)}.", nameof(Mean));
        if (Condition is { } c && (string.IsNullOrWhiteSpace(c.Name) || c.Size is < 1 or > 100_000))
            throw new ArgumentException($"The condition column is described as '{c.Name}' of size {c.Size}.", nameof(Condition));
    }
}
