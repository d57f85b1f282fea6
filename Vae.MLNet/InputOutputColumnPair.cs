namespace Vae.MLNet;

/// <summary>An output column and the input column it is computed from.</summary>
public sealed class InputOutputColumnPair
{
    /// <summary>Pairs <paramref name="outputColumnName"/> with <paramref name="inputColumnName"/> (default: the same name).</summary>
    public InputOutputColumnPair(string outputColumnName, string? inputColumnName = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName ?? outputColumnName;
    }

    /// <summary>The output column's name.</summary>
    public string OutputColumnName { get; }

    /// <summary>The input column's name.</summary>
    public string InputColumnName { get; }

    internal static (string outputColumnName, string inputColumnName)[] ToTuples(InputOutputColumnPair[] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        return columns.Select(c => (c.OutputColumnName, c.InputColumnName)).ToArray();
    }
}
