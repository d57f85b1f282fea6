using System.Text;
using Vae.MLNet.Data;

namespace Vae.MLNet;

public sealed partial class DataViewSchema
{
    /// <summary>
    /// Named values attached to a column (for example <c>SlotNames</c> or <c>KeyValues</c>). Each annotation
    /// is itself a column of <see cref="Schema"/> whose single value is read through a getter.
    /// </summary>
    public sealed class Annotations
    {
        private readonly Delegate[] _getters;

        private Annotations(DataViewSchema schema, Delegate[] getters)
        {
            Schema = schema;
            _getters = getters;
        }

        /// <summary>No annotations.</summary>
        public static Annotations Empty { get; } = new(new DataViewSchema(Array.Empty<DetachedColumn>()), []);

        /// <summary>The annotations as columns: the column name is the annotation kind.</summary>
        public DataViewSchema Schema { get; }

        /// <summary>The getter of the annotation <paramref name="column"/> of <see cref="Schema"/>.</summary>
        /// <exception cref="InvalidOperationException"><typeparamref name="TValue"/> is not the annotation's raw type.</exception>
        public ValueGetter<TValue> GetGetter<TValue>(Column column)
        {
            if (!Schema.Owns(column))
                throw new ArgumentOutOfRangeException(nameof(column), $"Annotation '{column.Name}' does not belong to these annotations.");
            if (_getters[column.Index] is ValueGetter<TValue> getter)
                return getter;
            throw new InvalidOperationException(
                $"Invalid TValue for annotation '{column.Name}': it holds {column.Type} ({column.Type.RawType}), but {typeof(TValue)} was requested.");
        }

        /// <summary>Reads the annotation <paramref name="kind"/> into <paramref name="value"/>.</summary>
        /// <exception cref="InvalidOperationException">There is no such annotation, or it has another type.</exception>
        public void GetValue<TValue>(string kind, ref TValue value)
        {
            var column = Schema.GetColumnOrNull(kind)
                ?? throw new InvalidOperationException($"There is no annotation '{kind}'. Available: {Schema.VisibleNames()}.");
            GetGetter<TValue>(column)(ref value);
        }

        /// <inheritdoc/>
        public override string ToString()
        {
            var sb = new StringBuilder();
            foreach (var c in Schema)
                sb.Append(sb.Length > 0 ? ", " : "").Append(c.Name).Append(": ").Append(c.Type);
            return sb.ToString();
        }

        /// <summary>Builds <see cref="Annotations"/> one annotation at a time.</summary>
        public sealed class Builder
        {
            private readonly List<DetachedColumn> _columns = [];
            private readonly List<Delegate> _getters = [];

            /// <summary>Adds the annotation <paramref name="kind"/> of <paramref name="type"/> read through <paramref name="getter"/>.</summary>
            public void Add<TValue>(string kind, DataViewType type, ValueGetter<TValue> getter)
            {
                ArgumentException.ThrowIfNullOrEmpty(kind);
                ArgumentNullException.ThrowIfNull(type);
                ArgumentNullException.ThrowIfNull(getter);
                if (type.RawType != typeof(TValue))
                    throw new ArgumentException($"Annotation '{kind}' of type {type} needs a getter of {type.RawType}, not {typeof(TValue)}.", nameof(getter));
                _columns.Add(new DetachedColumn(kind, type));
                _getters.Add(getter);
            }

            /// <summary>Adds the annotation <paramref name="kind"/> with a fixed <paramref name="value"/>.</summary>
            public void Add<TValue>(string kind, DataViewType type, TValue value) =>
                // Copied into the caller's buffer so no caller can alter the stored value.
                Add(kind, type, (ref TValue dst) => ValueCopier<TValue>.Copy(in value, ref dst));

            /// <summary>Adds slot names: a text vector of <paramref name="size"/> items.</summary>
            public void AddSlotNames(int size, ValueGetter<VBuffer<ReadOnlyMemory<char>>> getter) =>
                Add(AnnotationUtils.Kinds.SlotNames, new VectorDataViewType(TextDataViewType.Instance, size), getter);

            /// <summary>Adds key values: the <paramref name="size"/> values of <paramref name="valueType"/> that keys 1..size stand for.</summary>
            public void AddKeyValues<TValue>(int size, PrimitiveDataViewType valueType, ValueGetter<VBuffer<TValue>> getter) =>
                Add(AnnotationUtils.Kinds.KeyValues, new VectorDataViewType(valueType, size), getter);

            /// <summary>Adds the annotations of <paramref name="annotations"/> whose kind <paramref name="selector"/> accepts.</summary>
            public void Add(Annotations annotations, Func<string, bool> selector)
            {
                ArgumentNullException.ThrowIfNull(annotations);
                ArgumentNullException.ThrowIfNull(selector);
                foreach (var c in annotations.Schema)
                {
                    if (c.IsHidden || !selector(c.Name))
                        continue;
                    _columns.Add(new DetachedColumn(c.Name, c.Type));
                    _getters.Add(annotations._getters[c.Index]);
                }
            }

            /// <summary>The annotations added so far.</summary>
            public Annotations ToAnnotations() =>
                _columns.Count == 0 ? Empty : new Annotations(new DataViewSchema(_columns.ToArray()), _getters.ToArray());
        }
    }
}
