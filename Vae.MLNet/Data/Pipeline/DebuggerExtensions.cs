using Vae.MLNet.Data;

namespace Vae.MLNet;

/// <summary><c>Preview</c>: look at the first rows of data, transformed data, or the output of an estimator.</summary>
public static class DebuggerExtensions
{
    /// <summary>The first <paramref name="maxRows"/> rows of <paramref name="data"/>.</summary>
    public static DataDebuggerPreview Preview(this IDataView data, int maxRows = 100)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new DataDebuggerPreview(data, maxRows);
    }

    /// <summary>The first <paramref name="maxRows"/> rows of <paramref name="data"/> transformed by <paramref name="transformer"/>.</summary>
    public static DataDebuggerPreview Preview(this ITransformer transformer, IDataView data, int maxRows = 100)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        ArgumentNullException.ThrowIfNull(data);
        return new DataDebuggerPreview(transformer.Transform(data), maxRows);
    }

    /// <summary>Fits <paramref name="estimator"/> on the first <paramref name="maxTrainingRows"/> rows and previews its output.</summary>
    public static DataDebuggerPreview Preview<TTransformer>(this IEstimator<TTransformer> estimator, IDataView data, int maxRows = 100, int maxTrainingRows = 5000)
        where TTransformer : ITransformer
    {
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(data);
        var transformer = estimator.Fit(new RowRangeDataView(data, 0, maxTrainingRows));
        return new DataDebuggerPreview(transformer.Transform(data), maxRows);
    }
}
