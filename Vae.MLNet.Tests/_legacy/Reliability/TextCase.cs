using System.Text.Json;
using System.Text.Json.Serialization;
using Vae.MLNet.Data;

namespace Vae.MLNet.Tests.Reliability;

/// <summary>A text column of a <see cref="TextCase"/>: fields <see cref="Min"/>..<see cref="Max"/>, keys when <see cref="KeyCount"/> is set.</summary>
internal sealed record TextColumnDef(string Name, DataKind Kind, int Min, int Max, ulong? KeyCount = null)
{
    public TextLoader.Column ToColumn() =>
        new(Name, Kind, [new TextLoader.Range(Min, Max)], KeyCount is ulong k ? new TextLoader.KeyCount(k) : null);
}

/// <summary>How to load one fuzzed text file; saved beside corpus files as JSON.</summary>
internal sealed record TextCase(char Separator, bool HasHeader, bool AllowQuoting, bool TrimWhitespace, bool AllowSparse, TextColumnDef[] Columns)
{
    private static readonly JsonSerializerOptions _json = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    public string ToJson() => JsonSerializer.Serialize(this, _json);

    public static TextCase FromJson(string json) => JsonSerializer.Deserialize<TextCase>(json, _json)!;

    public IDataView Load(MLContext ml, string path) =>
        ml.Data.LoadFromTextFile(path, Columns.Select(c => c.ToColumn()).ToArray(), Separator, HasHeader, AllowQuoting, TrimWhitespace, AllowSparse);

    public override string ToString() =>
        $"sep {(int)Separator}, header {HasHeader}, quoting {AllowQuoting}, trim {TrimWhitespace}, sparse {AllowSparse}, columns [{string.Join("; ", Columns.Select(c => $"{c.Name} {c.Kind} {c.Min}-{c.Max}{(c.KeyCount is { } k ? $" key {k}" : "")}"))}]";
}
