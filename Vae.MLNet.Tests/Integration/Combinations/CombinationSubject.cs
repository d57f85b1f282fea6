using Microsoft.ML;
using Vae.MLNet.Columns;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Integration.Combinations;

/// <summary>What a combination test varies (its factors) and how it builds, fits and reads one combination.</summary>
internal abstract class CombinationSubject<TOptions> where TOptions : class
{
    public abstract IReadOnlyList<CombinationFactor<TOptions>> Factors { get; }

    /// <summary>The small network every combination starts from.</summary>
    protected abstract TOptions BaseOptions();

    /// <summary>The estimator (its constructor validates the options and may refuse them).</summary>
    public abstract IEstimator<ITransformer> Estimator(MLContext ml, TOptions options);

    /// <summary>Calls <paramref name="report"/> on each epoch the Fit reports.</summary>
    public abstract void OnProgress(TOptions options, Action report);

    /// <summary>The output columns a fitted model appends.</summary>
    public abstract string[] OutputColumns(TOptions options);

    /// <summary>Each row's outputs from a PredictionEngine, the columns of <see cref="OutputColumns"/> one after another.</summary>
    public abstract float[][] Predict(MLContext ml, ITransformer model, CombinationRow[] rows, TOptions options);

    /// <summary>The condition column the options name, if any (an input of the exported ONNX graph).</summary>
    public virtual string? ConditionColumn(TOptions options) => null;

    /// <summary>Words besides the options set that an ONNX refusal may name (a transformer that has no export at all).</summary>
    public virtual string[] OnnxRefusalTerms => [];

    /// <summary>The training rows of a combination.</summary>
    public abstract CombinationRow[] Rows(int[] levels);

    /// <summary>The names of every option (public field) of <typeparamref name="TOptions"/>.</summary>
    public string[] OptionNames { get; } = typeof(TOptions).GetFields().Select(f => f.Name).ToArray();

    public int[] LevelCounts => Factors.Select(f => f.Levels.Length).ToArray();

    public TOptions Options(int[] levels)
    {
        var options = BaseOptions();
        for (int f = 0; f < Factors.Count; f++) Factors[f].Apply(options, levels[f]);
        return options;
    }

    public string Describe(int[] levels) => string.Join(", ", Factors.Select((f, i) => $"{f.Name} {f.Levels[levels[i]]}"));
}
