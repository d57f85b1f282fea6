using System.Reflection;

namespace Vae.MLNet.Data;

/// <summary>
/// How the public fields and properties of a class map to columns: member name, column name and column type.
/// <see cref="Create"/> infers it from attributes (<see cref="ColumnNameAttribute"/>, <see cref="VectorTypeAttribute"/>,
/// <see cref="KeyTypeAttribute"/>, <see cref="NoColumnAttribute"/>); edit it to set types known only at run time,
/// such as a vector size.
/// </summary>
public sealed class SchemaDefinition : List<SchemaDefinition.Column>
{
    /// <summary>Which way values flow between objects and rows.</summary>
    [Flags]
    public enum Direction
    {
        /// <summary>Rows are read from objects: members need a public getter.</summary>
        Read = 1,

        /// <summary>Objects are filled from rows: members need a public setter.</summary>
        Write = 2,

        /// <summary>Both ways.</summary>
        Both = Read | Write,
    }

    /// <summary>The column named <paramref name="columnName"/>.</summary>
    /// <exception cref="KeyNotFoundException">No column has that name.</exception>
    public Column this[string columnName] =>
        Find(c => c.ColumnName == columnName) ?? throw new KeyNotFoundException($"The schema definition has no column '{columnName}'.");

    /// <summary>Infers the definition of <paramref name="userType"/>'s public fields and properties.</summary>
    /// <exception cref="InvalidOperationException">A member has a type that cannot be a column.</exception>
    public static SchemaDefinition Create(Type userType, Direction direction = Direction.Both)
    {
        ArgumentNullException.ThrowIfNull(userType);
        var definition = new SchemaDefinition();
        foreach (var member in Members(userType))
        {
            if (member.GetCustomAttribute<NoColumnAttribute>() != null || !IsUsable(member, direction))
                continue;
            string name = member.GetCustomAttribute<ColumnNameAttribute>()?.Name ?? member.Name;
            definition.Add(new Column(member.Name, InferType(member), name) { Member = member });
        }
        return definition;
    }

    internal static IEnumerable<MemberInfo> Members(Type userType) =>
        userType.GetFields(BindingFlags.Public | BindingFlags.Instance).Cast<MemberInfo>()
            .Concat(userType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0));

    private static bool IsUsable(MemberInfo member, Direction direction) => member switch
    {
        FieldInfo f => !direction.HasFlag(Direction.Write) || !f.IsInitOnly,
        PropertyInfo p => (!direction.HasFlag(Direction.Read) || p.GetMethod?.IsPublic == true)
                          && (!direction.HasFlag(Direction.Write) || p.SetMethod?.IsPublic == true),
        _ => false,
    };

    internal static Type MemberType(MemberInfo member) => member is FieldInfo f ? f.FieldType : ((PropertyInfo)member).PropertyType;

    /// <summary>The column type of <paramref name="member"/> from its .NET type and attributes.</summary>
    internal static DataViewType InferType(MemberInfo member)
    {
        var type = MemberType(member);
        bool isVector = type.IsArray || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(VBuffer<>));
        var element = type.IsArray ? type.GetElementType()! : isVector ? type.GetGenericArguments()[0] : type;
        var key = member.GetCustomAttribute<KeyTypeAttribute>();
        PrimitiveDataViewType item;
        if (key != null)
        {
            if (!KeyDataViewType.IsValidDataType(element))
                throw new InvalidOperationException($"Member '{member.Name}' has [KeyType] but type {type}; keys must be byte, ushort, uint or ulong.");
            item = new KeyDataViewType(element, key.Count);
        }
        else
        {
            item = PrimitiveFor(element)
                ?? throw new InvalidOperationException($"Member '{member.Name}' has type {type}, which cannot be a column; use numbers, bool, string, arrays of those, or VBuffer<T>.");
        }
        var vectorType = member.GetCustomAttribute<VectorTypeAttribute>();
        if (!isVector)
        {
            if (vectorType != null)
                throw new InvalidOperationException($"Member '{member.Name}' has [VectorType] but is not an array or VBuffer.");
            return item;
        }
        return vectorType != null ? new VectorDataViewType(item, vectorType.Dimensions) : new VectorDataViewType(item);
    }

    internal static PrimitiveDataViewType? PrimitiveFor(Type element) =>
        element == typeof(string) || element == typeof(ReadOnlyMemory<char>) ? TextDataViewType.Instance
        : element == typeof(bool) ? BooleanDataViewType.Instance
        : element == typeof(DataViewRowId) ? RowIdDataViewType.Instance
        : NumberDataViewType.FromRawType(element);

    /// <summary>One member's column.</summary>
    public sealed class Column
    {
        /// <summary>Describes the column of member <paramref name="memberName"/>.</summary>
        public Column(string memberName, DataViewType columnType, string? columnName = null)
        {
            ArgumentException.ThrowIfNullOrEmpty(memberName);
            ArgumentNullException.ThrowIfNull(columnType);
            MemberName = memberName;
            ColumnType = columnType;
            ColumnName = columnName ?? memberName;
        }

        /// <summary>The field or property name.</summary>
        public string MemberName { get; set; }

        /// <summary>The column name.</summary>
        public string ColumnName { get; set; }

        /// <summary>The column type; must fit the member's .NET type.</summary>
        public DataViewType ColumnType { get; set; }

        internal MemberInfo? Member { get; set; }
    }
}
