using System.Reflection;

namespace Vae.MLNet.Data;

/// <summary>A text column resolved to its type and source fields.</summary>
internal sealed record ColumnSpec(string Name, DataViewType Type, int[] Sources)
{
    public PrimitiveDataViewType ItemType => Type is VectorDataViewType v ? v.ItemType : (PrimitiveDataViewType)Type;

    public static ColumnSpec From(TextLoader.Column column)
    {
        var sources = column.Source.SelectMany(r => Enumerable.Range(r.Min, r.Max - r.Min + 1)).ToArray();
        if (sources.Length == 0)
            throw new ArgumentException($"Column '{column.Name}' has no source fields.");
        PrimitiveDataViewType item = column.KeyCount != null
            ? new KeyDataViewType(RawType(column.DataKind, column.Name), column.KeyCount.Count)
            : SchemaDefinition.PrimitiveFor(RawType(column.DataKind, column.Name))!;
        bool scalar = column.Source.Length == 1 && column.Source[0].Min == column.Source[0].Max;
        return new ColumnSpec(column.Name, scalar ? item : new VectorDataViewType(item, sources.Length), sources);
    }

    private static Type RawType(DataKind kind, string name) => kind switch
    {
        DataKind.SByte => typeof(sbyte),
        DataKind.Byte => typeof(byte),
        DataKind.Int16 => typeof(short),
        DataKind.UInt16 => typeof(ushort),
        DataKind.Int32 => typeof(int),
        DataKind.UInt32 => typeof(uint),
        DataKind.Int64 => typeof(long),
        DataKind.UInt64 => typeof(ulong),
        DataKind.Single => typeof(float),
        DataKind.Double => typeof(double),
        DataKind.String => typeof(string),
        DataKind.Boolean => typeof(bool),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), $"Column '{name}': data kind {kind} is not supported."),
    };

    /// <summary>The columns of <typeparamref name="TInput"/>'s members with <see cref="LoadColumnAttribute"/>.</summary>
    /// <exception cref="InvalidOperationException">A member lacks <see cref="LoadColumnAttribute"/> or its type does not fit the sources.</exception>
    public static ColumnSpec[] FromType<TInput>()
    {
        var specs = new List<ColumnSpec>();
        foreach (var member in SchemaDefinition.Members(typeof(TInput)))
        {
            if (member.GetCustomAttribute<NoColumnAttribute>() != null)
                continue;
            var load = member.GetCustomAttribute<LoadColumnAttribute>()
                ?? throw new InvalidOperationException($"Member '{member.Name}' of {typeof(TInput).Name} has no [LoadColumn] attribute (or mark it [NoColumn]).");
            var sources = load.Sources.ToArray();
            string name = member.GetCustomAttribute<ColumnNameAttribute>()?.Name ?? member.Name;
            var type = SchemaDefinition.InferType(member);
            if (type is VectorDataViewType v)
            {
                if (v.IsKnownSize && v.Size != sources.Length)
                    throw new InvalidOperationException($"Member '{member.Name}' is a vector of size {v.Size} but [LoadColumn] lists {sources.Length} fields.");
                type = v.IsKnownSize ? v : new VectorDataViewType(v.ItemType, sources.Length);
            }
            else if (sources.Length != 1)
            {
                throw new InvalidOperationException($"Member '{member.Name}' is a scalar but [LoadColumn] lists {sources.Length} fields; use an array.");
            }
            specs.Add(new ColumnSpec(name, type, sources));
        }
        if (specs.Count == 0)
            throw new InvalidOperationException($"{typeof(TInput).Name} has no members with [LoadColumn].");
        return specs.ToArray();
    }
}
