namespace Vae.MLNet.Reporting.Charts;

/// <summary>The words of a chart: what it shows (for screen readers) and its axis titles.</summary>
internal sealed record ChartText(string Description, string XTitle, string YTitle);
