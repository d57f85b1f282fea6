using Microsoft.ML;
using System.Text;
using Vae.MLNet.Reporting.Figures;

namespace Vae.MLNet.Reporting;

/// <summary>
/// A training report for a VAE: one self-contained HTML page (charts drawn by ScottPlot and images encoded by SkiaSharp,
/// all inline PNG; no network access) with the training curves, reconstructions, samples from the prior, the latent
/// space coloured by label, the KL of each latent dimension, the amortization gap, latent traversals, an interpolation,
/// and a summary of the model and its evaluation.
/// </summary>
/// <example>
/// <code>
/// var model = mlContext.Transforms.VaeEncode(new VaeOptions { LatentDimension = 8 }).Fit(train);
/// VaeReport.Write(model, test, "vae-report.html", new VaeReportOptions { ImageShape = [1, 28, 28] });
/// </code>
/// </example>
public static class VaeReport
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Writes the report for <paramref name="transformer"/> on <paramref name="data"/> (which must hold the VAE's input
    /// column, and its condition column for a conditional VAE) to the file <paramref name="path"/>.
    /// </summary>
    /// <remarks>
    /// The evaluation (ELBO, KL per dimension, active units) reads every row of <paramref name="data"/>; the figures use
    /// its first rows (see <see cref="VaeReportOptions"/>), so shuffle data that is sorted (e.g. by label) first.
    /// </remarks>
    public static void Write(VaeTransformer transformer, IDataView data, string path, VaeReportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        File.WriteAllText(path, Render(transformer, data, options), Utf8);
    }

    /// <summary>Writes the report to <paramref name="stream"/> as UTF-8 (the stream stays open).</summary>
    public static void Write(VaeTransformer transformer, IDataView data, Stream stream, VaeReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(Utf8.GetBytes(Render(transformer, data, options)));
        stream.Flush();
    }

    internal static string Render(VaeTransformer transformer, IDataView data, VaeReportOptions? options)
    {
        var content = Build(transformer, data, options);
        return HtmlPage.Render(content.Title, content.Summary, content.Figures, DateTimeOffset.UtcNow);
    }

    /// <summary>The report's content: its title, the summary header and every figure with the charts drawn in it.</summary>
    internal static ReportContent Build(VaeTransformer transformer, IDataView data, VaeReportOptions? options)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        ArgumentNullException.ThrowIfNull(data);
        options ??= new VaeReportOptions();
        options.Validate(transformer.InputDimension);

        var columns = ReportColumns.Find(transformer, data.Schema, options.LabelColumnName);
        // A few more inputs than are shown, so the interpolation can find a row of another class.
        var rows = EncodedRows.Read(transformer, data, columns, options.MaxPoints, Math.Max(options.ReconstructionCount, InterpolationCandidates));
        if (rows.Means.Count == 0) throw new ArgumentException("The data has no rows to report on.", nameof(data));
        var metrics = transformer.Evaluate(data);
        var gap = options.MeasureAmortizationGap
            ? transformer.MeasureAmortizationGap(new MLContext(0).Data.TakeRows(data, options.AmortizationGapRows), options.AmortizationGapSteps)
            : null;
        var look = DataLook.For(transformer, options.ImageShape, rows.Inputs);
        // Line plots show only a few panels, so draw no more samples than are shown.
        int sampleCount = look.Shape is null ? Math.Min(options.SampleCount, VectorPanels.MaxPanels) : options.SampleCount;
        var (samples, sampling) = PriorSamples.Draw(transformer, columns.Condition, sampleCount, options.Seed);
        var classes = rows.Labels is null ? null : LabelClasses.From(rows.Labels);
        int shown = Math.Min(options.ReconstructionCount, rows.Inputs.Count);

        ReportFigure[] figures =
        [
            TrainingCurvesFigure.Build(transformer.TrainingHistory),
            ReconstructionFigure.Build(rows.Inputs[..shown], rows.Reconstructions[..shown], look, transformer.Likelihood),
            SamplesFigure.Build(samples, sampling, look),
            LatentFigure.Build(rows.Means, classes, columns.Label?.Name, options.UseFirstLatentDimensions, options.Seed),
            KlFigure.Build(metrics),
            AmortizationGapFigure.Build(gap),
            TraversalFigure.Build(transformer, metrics, rows.Inputs[0], rows.Conditions?[0], look),
            InterpolationFigure.Build(transformer, rows, look),
        ];
        return new ReportContent(options.Title ?? "VAE training report", SummaryHeader.Html(transformer, metrics, gap), figures);
    }

    private const int InterpolationCandidates = 64;
}

/// <summary>What the page shows: its title, the summary header (HTML) and the figures in order.</summary>
internal sealed record ReportContent(string Title, string Summary, IReadOnlyList<ReportFigure> Figures);
