using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet.Columns;

/// <summary>
/// The condition of a conditional VAE (Sohn et al. 2015): a key column, fed to the networks one-hot, or a vector of
/// Single fed as it is. Saved with the model, so Transform checks the column it meets against it.
/// </summary>
internal sealed record ConditionColumn(string Name, bool IsKey, int Size)
{
    /// <summary>Reads the condition column's description from a schema, rejecting types that cannot condition.</summary>
    public static ConditionColumn Resolve(DataViewSchema schema, string name)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException(nameof(schema), $"Could not find condition column '{name}'.");
        const int max = Networks.VaeNetworkSpecValidation.MaxConditionDimension;
        return column.Type switch
        {
            KeyDataViewType key when key.RawType == typeof(uint) && key.Count is > 0 and <= max => new(name, true, (int)key.Count),
            KeyDataViewType { Count: > max } key when key.RawType == typeof(uint) => throw new ArgumentOutOfRangeException(nameof(schema),
                $"Condition column '{name}' is a key of {key.Count:N0} values; a key condition is fed one-hot and may have at most {max:N0}: " +
                "map the rare values to one (MapValueToKey with maximumNumberOfKeys), or condition on a vector of Single (an embedding) instead."),
            VectorDataViewType { ItemType: NumberDataViewType item, Size: > max } vector when item == NumberDataViewType.Single => throw new ArgumentOutOfRangeException(nameof(schema),
                $"Condition column '{name}' is a vector of {vector.Size:N0} values; a condition may have at most {max:N0}."),
            VectorDataViewType { ItemType: NumberDataViewType item, Size: > 0 } vector when item == NumberDataViewType.Single => new(name, false, vector.Size),
            _ => throw new ArgumentOutOfRangeException(nameof(schema),
                $"Schema mismatch for condition column '{name}': expected a key (UInt32, as MapValueToKey makes) or a vector of Single of known size, got {column.Type}."),
        };
    }

    /// <summary>The column in a schema met at transform time, checked against the fitted description.</summary>
    public DataViewSchema.Column Find(DataViewSchema schema)
    {
        var found = Resolve(schema, Name);
        if (found != this)
            throw new ArgumentOutOfRangeException(nameof(schema),
                $"Schema mismatch for condition column '{Name}': expected {Describe()} as when fitted, got {found.Describe()}.");
        return schema[Name];
    }

    /// <summary>A reader that writes the current row's condition into a span of <see cref="Size"/> values.</summary>
    public Action<Span<float>> MakeReader(DataViewRow row, DataViewSchema.Column column)
    {
        if (IsKey)
        {
            var getter = row.GetGetter<uint>(column);
            uint key = 0;
            return destination =>
            {
                getter(ref key);
                OneHot(key, destination, row.Position);
            };
        }
        var vectorGetter = row.GetGetter<VBuffer<float>>(column);
        var vector = default(VBuffer<float>);
        return destination =>
        {
            vectorGetter(ref vector);
            vector.CopyTo(destination);
            CheckFinite(destination, row.Position);
        };
    }

    /// <summary>The one-hot condition of class index c (0-based), for generation.</summary>
    public float[] ForClass(int classIndex)
    {
        if (!IsKey) throw new InvalidOperationException($"Condition column '{Name}' is a vector; pass the condition vector itself.");
        if (classIndex < 0 || classIndex >= Size)
            throw new ArgumentOutOfRangeException(nameof(classIndex), classIndex, $"Condition column '{Name}' has {Size} classes (0 to {Size - 1}).");
        var condition = new float[Size];
        condition[classIndex] = 1;
        return condition;
    }

    private void OneHot(uint key, Span<float> destination, long position)
    {
        if (key == 0 || key > Size)
            throw new InvalidOperationException(
                $"Condition column '{Name}' holds key {key}{At(position)}; expected a key from 1 to {Size} (0 means a missing or unseen value).");
        destination.Clear();
        destination[(int)key - 1] = 1;
    }

    private void CheckFinite(ReadOnlySpan<float> values, long position)
    {
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i]))
                throw new InvalidOperationException($"Condition column '{Name}' holds {values[i]}{At(position)}; conditions must be finite.");
    }

    private static string At(long position) => position >= 0 ? $" in row {position}" : "";

    private string Describe() => IsKey ? $"a key with {Size} values" : $"a vector of Single of size {Size}";
}
