using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet.Tests.Support.ModelFiles;

/// <summary>What happened to one model file: it loaded and transformed the sample data, or it was rejected.</summary>
/// <param name="Loaded">Whether <c>Load</c> returned a model.</param>
/// <param name="Error">What <c>Load</c> or <c>Transform</c> threw, if anything.</param>
/// <param name="Problem">Why the outcome is not acceptable, or null.</param>
/// <param name="Output">The transformed sample rows as text, when the model loaded and transformed.</param>
internal sealed record ModelOutcome(bool Loaded, Exception? Error, string? Problem, string? Output = null)
{
    public bool IsFine => Problem == null;
}

/// <summary>
/// Feeds bytes to <c>new MLContext().Model.Load(stream, out schema)</c>. A file that loads must transform the sample
/// data with every output column read; a file that does not must raise a documented exception (see <see cref="Outcomes"/>).
/// </summary>
internal static class ModelLoadCheck
{
    private static readonly MLContext _ml = new(seed: 1);

    public static ModelOutcome Run(byte[] bytes, IDataView data)
    {
        ITransformer model;
        try
        {
            model = _ml.Model.Load(new MemoryStream(bytes, writable: false), out _);
        }
        catch (Exception e)
        {
            return new(false, e, Outcomes.Problem(e, Outcomes.IsDocumentedLoadError));
        }
        try
        {
            // A model that loads may still not fit this data (an edited column name, say): that is the
            // ArgumentException family ML.NET documents for schema mismatches, raised before any row is read.
            return new(true, null, null, Render(model.Transform(data).Preview(maxRows: 8)));
        }
        catch (Exception e)
        {
            return new(true, e, Outcomes.Problem(e, Outcomes.IsDocumentedTransformError) is { } p ? $"loaded, then Transform threw: {p}" : null);
        }
        finally
        {
            Dispose(model);
        }
    }

    /// <summary>Disposes the VAEs of a loaded model (a chain does not dispose its transformers).</summary>
    public static void Dispose(ITransformer model)
    {
        if (model is IEnumerable<ITransformer> chain)
            foreach (var t in chain) Dispose(t);
        (model as IDisposable)?.Dispose();
    }

    /// <summary>The previewed values as text (vectors item by item), to compare two models' outputs exactly.</summary>
    public static string Render(DataDebuggerPreview preview) =>
        string.Join("\n", preview.RowView.Select(row => string.Join("; ", row.Values.Select(v => $"{v.Key}={Render(v.Value)}"))));

    private static string Render(object value) => value switch
    {
        VBuffer<float> v => string.Join(",", v.DenseValues().Select(x => x.ToString("R"))),
        VBuffer<double> v => string.Join(",", v.DenseValues().Select(x => x.ToString("R"))),
        float f => f.ToString("R"),
        double d => d.ToString("R"),
        _ => value.ToString() ?? "",
    };

    /// <summary>Runs <paramref name="bytes"/> and fails the test, saving the input, when the outcome is not clean.</summary>
    public static ModelOutcome ExpectClean(string name, byte[] bytes, IDataView data, string what)
    {
        var outcome = Run(bytes, data);
        if (!outcome.IsFine)
        {
            string saved = Outcomes.SaveFailure(name, ".zip", bytes);
            Assert.Fail($"{what}: {outcome.Problem}. {(outcome.Error is { } e ? Outcomes.Describe(e) : "")} Input saved to {saved}.");
        }
        return outcome;
    }

    /// <summary>
    /// Asserts the load is rejected by the VAE's loader: an <see cref="InvalidDataException"/> (inside ML.NET's
    /// TargetInvocationException) whose message contains every fragment. Returns the loader's exception.
    /// </summary>
    public static Exception ExpectRejected(byte[] bytes, IDataView data, params string[] fragments)
    {
        var outcome = Run(bytes, data);
        Assert.IsFalse(outcome.Loaded, "the model loaded");
        Assert.IsNull(outcome.Problem, $"{outcome.Problem}: {Outcomes.Describe(outcome.Error!)}");
        var own = Outcomes.Unwrap(outcome.Error!);
        Assert.IsInstanceOfType<InvalidDataException>(own, Outcomes.Describe(outcome.Error!));
        foreach (string fragment in fragments)
            StringAssert.Contains(own.Message, fragment);
        return own;
    }
}
