using System.Globalization;

namespace Vae.MLNet.Reporting.Charts;

/// <summary>Numbers as the report prints them: invariant culture, fixed decimals, a true minus sign and no "−0".</summary>
internal static class NumberText
{
    /// <summary><paramref name="value"/> with <paramref name="decimals"/> decimals.</summary>
    public static string Format(double value, int decimals)
    {
        if (!double.IsFinite(value)) return value.ToString(CultureInfo.InvariantCulture);
        string text = value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        if (!text.StartsWith('-')) return text;
        return text.Skip(1).All(ch => ch is '0' or '.') ? text[1..] : "\u2212" + text[1..];
    }
}
