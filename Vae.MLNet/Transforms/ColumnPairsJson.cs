namespace Vae.MLNet.Transforms;

/// <summary>Column pairs as stored in model options: <c>[{"Output": ..., "Input": ...}]</c>.</summary>
internal sealed class ColumnPairJson
{
    public string Output { get; set; } = "";

    public string Input { get; set; } = "";

    public static ColumnPairJson[] From(IReadOnlyList<(string outputColumnName, string inputColumnName)> pairs) =>
        pairs.Select(p => new ColumnPairJson { Output = p.outputColumnName, Input = p.inputColumnName }).ToArray();

    public static (string outputColumnName, string inputColumnName)[] To(ColumnPairJson[]? pairs, string where)
    {
        if (pairs is not { Length: > 0 } || pairs.Any(p => string.IsNullOrEmpty(p.Output) || string.IsNullOrEmpty(p.Input)))
            throw new InvalidDataException($"{where}: the column pairs are missing or empty.");
        return pairs.Select(p => (p.Output, p.Input)).ToArray();
    }
}
