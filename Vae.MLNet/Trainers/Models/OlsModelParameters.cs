namespace Vae.MLNet.Trainers;

/// <summary>The model of an ordinary least squares regression, with its fit statistics.</summary>
public sealed class OlsModelParameters : RegressionModelParameters
{
    internal const string KindName = "OlsModelParameters";

    private static readonly string[] StatisticNames = ["standardErrors", "tValues", "pValues"];

    internal OlsModelParameters(
        float[] weights, float bias, double rSquared, double rSquaredAdjusted, double[]? standardErrors, double[]? tValues, double[]? pValues)
        : base(weights, bias)
    {
        RSquared = rSquared;
        RSquaredAdjusted = rSquaredAdjusted;
        StandardErrors = standardErrors is null ? null : Array.AsReadOnly(standardErrors);
        TValues = tValues is null ? null : Array.AsReadOnly(tValues);
        PValues = pValues is null ? null : Array.AsReadOnly(pValues);
    }

    internal OlsModelParameters(OlsResult result)
        : this(result.Model.Weights, result.Model.Bias, result.RSquared, result.RSquaredAdjusted, result.StandardErrors, result.TValues, result.PValues)
    {
    }

    /// <summary>The coefficient of determination on the training data.</summary>
    public double RSquared { get; }

    /// <summary>The adjusted coefficient of determination; NaN unless there were more examples than parameters.</summary>
    public double RSquaredAdjusted { get; }

    /// <summary>
    /// Whether the model has per-parameter statistics: false when there were no more examples than parameters, or
    /// when <see cref="OlsTrainer.Options.CalculateStatistics"/> was false.
    /// </summary>
    public bool HasStatistics => StandardErrors is not null;

    /// <summary>The standard error of each parameter, the bias first, then one per weight; null without statistics.</summary>
    public IReadOnlyList<double>? StandardErrors { get; }

    /// <summary>The t-statistic of each parameter (bias first); null without statistics.</summary>
    public IReadOnlyList<double>? TValues { get; }

    /// <summary>The two-sided p-value of each parameter (bias first); null without statistics.</summary>
    public IReadOnlyList<double>? PValues { get; }

    private protected override string Kind => KindName;

    private protected override void SaveCore(ModelSaveContext ctx)
    {
        ctx.WriteOptions(new Fit { RSquared = RSquared, RSquaredAdjusted = RSquaredAdjusted });
        if (!HasStatistics)
            return;
        IReadOnlyList<double>[] statistics = [StandardErrors!, TValues!, PValues!];
        for (int i = 0; i < StatisticNames.Length; i++)
            ctx.WriteArray(StatisticNames[i], statistics[i].ToArray());
    }

    internal static OlsModelParameters Load(ModelLoadContext ctx)
    {
        var (weights, bias) = ReadLinear(ctx);
        var fit = ctx.ReadOptions<Fit>();
        var statistics = ctx.HasArray(StatisticNames[0])
            ? StatisticNames.Select(name => ctx.ReadArray<double>(name, weights.Length + 1)).ToArray()
            : null;
        return new OlsModelParameters(weights, bias, fit.RSquared, fit.RSquaredAdjusted, statistics?[0], statistics?[1], statistics?[2]);
    }

    private sealed class Fit
    {
        public double RSquared { get; set; }

        public double RSquaredAdjusted { get; set; }
    }
}
