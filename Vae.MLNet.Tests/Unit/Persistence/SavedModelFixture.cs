using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet.Tests.Unit.Persistence;

/// <summary>An input row of a saved-model fixture: a feature vector (its size set per fixture) and a text label.</summary>
public sealed class FixtureRow
{
    /// <summary>The features.</summary>
    public float[] Features { get; set; } = [];

    /// <summary>A class name (the conditional model's condition, through MapValueToKey).</summary>
    public string Label { get; set; } = "";
}

/// <summary>
/// A model zip checked in under Unit/Persistence/Fixtures, the rows it was given and every column it produced on them,
/// as written by <see cref="SavedModelFixtureGenerator"/> (one JSON file per model, beside its zip).
/// </summary>
public sealed class SavedModelFixture
{
    /// <summary>The model's file name, beside the JSON file.</summary>
    public string Model { get; set; } = "";

    /// <summary>What the model is and how it was trained (for a reader of the file).</summary>
    public string Description { get; set; } = "";

    /// <summary>The library version and commit that wrote the model.</summary>
    public string WrittenBy { get; set; } = "";

    /// <summary>The input rows.</summary>
    public FixtureRow[] Rows { get; set; } = [];

    /// <summary>
    /// Every column of the transformed rows, by name, one array per row: numbers (a scalar as one value, a key as its
    /// index) or, for text, the text.
    /// </summary>
    public Dictionary<string, JsonElement[][]> Outputs { get; set; } = [];

    internal static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>The folder of the checked-in fixtures in the test output.</summary>
    public static string OutputFolder => Path.Combine(AppContext.BaseDirectory, "Unit", "Persistence", "Fixtures");

    /// <summary>The fixtures' names (file names without extension) in <paramref name="folder"/>.</summary>
    public static string[] Names(string folder) =>
        Directory.GetFiles(folder, "*.json").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal).ToArray();

    public static SavedModelFixture Read(string folder, string name) =>
        JsonSerializer.Deserialize<SavedModelFixture>(File.ReadAllText(Path.Combine(folder, name + ".json")), Json)
        ?? throw new InvalidDataException($"{name}.json is empty.");

    /// <summary>The rows as an IDataView whose Features column has the rows' width.</summary>
    public IDataView Data(MLContext ml)
    {
        var definition = SchemaDefinition.Create(typeof(FixtureRow));
        definition[nameof(FixtureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Rows[0].Features.Length);
        return ml.Data.LoadFromEnumerable(Rows, definition);
    }

    /// <summary>Every visible column of <paramref name="view"/>, row by row, in the JSON form of <see cref="Outputs"/>.</summary>
    public static Dictionary<string, JsonElement[][]> ReadColumns(IDataView view)
    {
        var columns = view.Schema.Where(c => !c.IsHidden).ToArray();
        var values = columns.ToDictionary(c => c.Name, _ => new List<JsonElement[]>());
        using var cursor = view.GetRowCursor(columns);
        var getters = columns.Select(c => Getter(cursor, c)).ToArray();
        while (cursor.MoveNext())
            for (int i = 0; i < columns.Length; i++)
                values[columns[i].Name].Add(getters[i]());
        return values.ToDictionary(p => p.Key, p => p.Value.ToArray());
    }

    private static Func<JsonElement[]> Getter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var type = column.Type;
        if (type is VectorDataViewType { ItemType: NumberDataViewType n } && n == NumberDataViewType.Single)
        {
            var get = cursor.GetGetter<VBuffer<float>>(column);
            var buffer = default(VBuffer<float>);
            return () => { get(ref buffer); return buffer.DenseValues().Select(v => JsonSerializer.SerializeToElement(v)).ToArray(); };
        }
        if (type == NumberDataViewType.Single)
        {
            var get = cursor.GetGetter<float>(column);
            return () => { float v = 0; get(ref v); return [JsonSerializer.SerializeToElement(v)]; };
        }
        if (type is KeyDataViewType { RawType: var raw } && raw == typeof(uint))
        {
            var get = cursor.GetGetter<uint>(column);
            return () => { uint v = 0; get(ref v); return [JsonSerializer.SerializeToElement(v)]; };
        }
        if (type is TextDataViewType)
        {
            var get = cursor.GetGetter<ReadOnlyMemory<char>>(column);
            return () => { var v = default(ReadOnlyMemory<char>); get(ref v); return [JsonSerializer.SerializeToElement(v.ToString())]; };
        }
        throw new NotSupportedException($"Column '{column.Name}' of type {type} has no fixture form: add one here.");
    }
}
