using System.Linq.Expressions;
using System.Reflection;

namespace Vae.MLNet.Data;

/// <summary>The object a row is read from, and its position (for error messages and row ids).</summary>
internal sealed class CurrentObject<TRow>
{
    public TRow? Value;
    public long Position = -1;
}

/// <summary>
/// Compiled access between class members and column values: getters that read a member of the current object,
/// and pumps that write a row's value into a member. Built once (expression trees); no reflection per row.
/// Supported members: numbers, bool, string, ReadOnlyMemory&lt;char&gt;, DataViewRowId, arrays of those, VBuffer&lt;T&gt;.
/// </summary>
internal static class MemberBinding
{
    /// <summary>The member of <typeparamref name="TRow"/> a definition column refers to.</summary>
    public static MemberInfo Resolve<TRow>(SchemaDefinition.Column column) =>
        column.Member ?? SchemaDefinition.Members(typeof(TRow)).FirstOrDefault(m => m.Name == column.MemberName)
        ?? throw new InvalidOperationException($"{typeof(TRow).Name} has no public field or property '{column.MemberName}'.");

    /// <summary>A <c>ValueGetter</c> of <paramref name="type"/>'s raw type reading <paramref name="member"/> of <paramref name="current"/>.</summary>
    public static Delegate MakeGetter<TRow>(MemberInfo member, DataViewType type, string columnName, CurrentObject<TRow> current)
    {
        var memberType = SchemaDefinition.MemberType(member);
        CheckCompatible(memberType, type, columnName, member.Name);
        var raw = type.RawType;
        if (memberType == raw)
            return Generic.Invoke<Delegate>(new Func<MemberInfo, CurrentObject<TRow>, Delegate>(GetSame<TRow, int>), [typeof(TRow), raw], member, current);
        if (memberType == typeof(string))
            return GetString(Peek<TRow, string?>(member), current);
        var element = memberType.GetElementType()!;
        int size = type is VectorDataViewType { IsKnownSize: true } v ? v.Size : 0;
        if (element == typeof(string))
            return GetStringArray(Peek<TRow, string?[]?>(member), current, size, columnName);
        return Generic.Invoke<Delegate>(new Func<MemberInfo, CurrentObject<TRow>, int, string, Delegate>(GetArray<TRow, int>),
            [typeof(TRow), element], member, current, size, columnName);
    }

    /// <summary>An action copying the value of <paramref name="column"/> of <paramref name="row"/> into <paramref name="member"/> of an object.</summary>
    public static Action<TRow> MakePump<TRow>(DataViewRow row, DataViewSchema.Column column, MemberInfo member)
    {
        var memberType = SchemaDefinition.MemberType(member);
        CheckCompatible(memberType, column.Type, column.Name, member.Name);
        var raw = column.Type.RawType;
        if (memberType == raw)
            return Generic.Invoke<Action<TRow>>(new Func<DataViewRow, DataViewSchema.Column, MemberInfo, Action<TRow>>(PumpSame<TRow, int>), [typeof(TRow), raw], row, column, member);
        if (memberType == typeof(string))
        {
            var get = row.GetGetter<ReadOnlyMemory<char>>(column);
            var poke = Poke<TRow, string>(member);
            ReadOnlyMemory<char> text = default;
            return obj =>
            {
                get(ref text);
                poke(obj, text.ToString());
            };
        }
        var element = memberType.GetElementType()!;
        if (element == typeof(string))
            return PumpStringArray(row.GetGetter<VBuffer<ReadOnlyMemory<char>>>(column), Peek<TRow, string[]?>(member), Poke<TRow, string[]?>(member));
        return Generic.Invoke<Action<TRow>>(new Func<DataViewRow, DataViewSchema.Column, MemberInfo, Action<TRow>>(PumpArray<TRow, int>), [typeof(TRow), element], row, column, member);
    }

    /// <summary>Throws unless values of <paramref name="type"/> can move to and from a member of <paramref name="memberType"/>.</summary>
    public static void CheckCompatible(Type memberType, DataViewType type, string columnName, string memberName)
    {
        var raw = type.RawType;
        bool ok = memberType == raw
            || (memberType == typeof(string) && type is TextDataViewType)
            || (memberType.IsArray && type is VectorDataViewType v
                && (v.ItemType.RawType == memberType.GetElementType() || (v.ItemType is TextDataViewType && memberType.GetElementType() == typeof(string))));
        if (!ok)
            throw new InvalidOperationException($"Can't bind column '{columnName}' of type {type} to member '{memberName}' of type {memberType}.");
    }

    private static Func<TRow, TMember> Peek<TRow, TMember>(MemberInfo member)
    {
        var obj = Expression.Parameter(typeof(TRow), "obj");
        Expression access = Expression.MakeMemberAccess(obj, member);
        if (access.Type != typeof(TMember))
            access = Expression.Convert(access, typeof(TMember));
        return Expression.Lambda<Func<TRow, TMember>>(access, obj).Compile();
    }

    private static Action<TRow, TMember> Poke<TRow, TMember>(MemberInfo member)
    {
        var obj = Expression.Parameter(typeof(TRow), "obj");
        var value = Expression.Parameter(typeof(TMember), "value");
        var access = Expression.MakeMemberAccess(obj, member);
        Expression assigned = access.Type == typeof(TMember) ? value : Expression.Convert(value, access.Type);
        return Expression.Lambda<Action<TRow, TMember>>(Expression.Assign(access, assigned), obj, value).Compile();
    }

    private static TRow Row<TRow>(CurrentObject<TRow> current) =>
        current.Value ?? throw new InvalidOperationException($"Row {current.Position} is a null {typeof(TRow).Name}.");

    private static Delegate GetSame<TRow, T>(MemberInfo member, CurrentObject<TRow> current)
    {
        var peek = Peek<TRow, T>(member);
        return (ValueGetter<T>)((ref T value) => ValueCopier<T>.Copy(peek(Row(current)), ref value));
    }

    private static Delegate GetString<TRow>(Func<TRow, string?> peek, CurrentObject<TRow> current) =>
        (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = (peek(Row(current)) ?? "").AsMemory());

    private static Delegate GetArray<TRow, T>(MemberInfo member, CurrentObject<TRow> current, int size, string columnName)
    {
        var peek = Peek<TRow, T[]?>(member);
        return (ValueGetter<VBuffer<T>>)((ref VBuffer<T> value) =>
        {
            var array = peek(Row(current)) ?? [];
            CheckSize(array.Length, size, columnName, current.Position);
            var editor = VBufferEditor.Create(ref value, array.Length);
            array.AsSpan().CopyTo(editor.Values);
            value = editor.Commit();
        });
    }

    private static Delegate GetStringArray<TRow>(Func<TRow, string?[]?> peek, CurrentObject<TRow> current, int size, string columnName) =>
        (ValueGetter<VBuffer<ReadOnlyMemory<char>>>)((ref VBuffer<ReadOnlyMemory<char>> value) =>
        {
            var array = peek(Row(current)) ?? [];
            CheckSize(array.Length, size, columnName, current.Position);
            var editor = VBufferEditor.Create(ref value, array.Length);
            for (int i = 0; i < array.Length; i++)
                editor.Values[i] = (array[i] ?? "").AsMemory();
            value = editor.Commit();
        });

    private static void CheckSize(int length, int size, string columnName, long position)
    {
        if (size > 0 && length != size)
            throw new InvalidOperationException($"Column '{columnName}' is a vector of size {size}, but row {position} holds {length} values.");
    }

    private static Action<TRow> PumpSame<TRow, T>(DataViewRow row, DataViewSchema.Column column, MemberInfo member)
    {
        var get = row.GetGetter<T>(column);
        var peek = Peek<TRow, T>(member);
        var poke = Poke<TRow, T>(member);
        // Getting into the member's current value lets a reused row object keep its vector buffers.
        return obj =>
        {
            var value = peek(obj);
            get(ref value);
            poke(obj, value);
        };
    }

    private static Action<TRow> PumpArray<TRow, T>(DataViewRow row, DataViewSchema.Column column, MemberInfo member)
    {
        var get = row.GetGetter<VBuffer<T>>(column);
        var peek = Peek<TRow, T[]?>(member);
        var poke = Poke<TRow, T[]?>(member);
        VBuffer<T> buffer = default;
        return obj =>
        {
            get(ref buffer);
            var array = peek(obj);
            if (array == null || array.Length != buffer.Length)
                array = new T[buffer.Length];
            buffer.CopyTo(array);
            poke(obj, array);
        };
    }

    private static Action<TRow> PumpStringArray<TRow>(ValueGetter<VBuffer<ReadOnlyMemory<char>>> get, Func<TRow, string[]?> peek, Action<TRow, string[]?> poke)
    {
        VBuffer<ReadOnlyMemory<char>> buffer = default;
        return obj =>
        {
            get(ref buffer);
            var array = peek(obj);
            if (array == null || array.Length != buffer.Length)
                array = new string[buffer.Length];
            int i = 0;
            foreach (var item in buffer.DenseValues())
                array[i++] = item.ToString();
            poke(obj, array);
        };
    }
}
