namespace Vae.MLNet.Data;

/// <summary>
/// A mapper computing each added column per row through a getter over the input row. Getters are built once per
/// cursor; a getter only reads the input when called, so unused columns cost nothing.
/// </summary>
/// <example>
/// <code>
/// sealed class TimesTwoMapper(DataViewSchema input) : RowMapper(input)
/// {
///     protected override DataViewSchema.DetachedColumn[] GetOutputColumns() => [new("Doubled", NumberDataViewType.Single)];
///     protected override IEnumerable&lt;DataViewSchema.Column&gt; GetInputDependencies(int outputColumnIndex) => [InputSchema["X"]];
///     protected override Delegate MakeGetter(DataViewRow input, int outputColumnIndex)
///     {
///         var x = input.GetGetter&lt;float&gt;(InputSchema["X"]);
///         float value = 0;
///         return (ValueGetter&lt;float&gt;)((ref float dst) => { x(ref value); dst = 2 * value; });
///     }
/// }
/// </code>
/// </example>
public abstract class RowMapper : RowMapperBase
{
    /// <summary>Creates a mapper of rows of <paramref name="inputSchema"/>.</summary>
    protected RowMapper(DataViewSchema inputSchema) : base(inputSchema)
    {
    }

    /// <summary>The input columns read by the getter of added column <paramref name="outputColumnIndex"/>.</summary>
    protected abstract IEnumerable<DataViewSchema.Column> GetInputDependencies(int outputColumnIndex);

    /// <summary>
    /// The getter of added column <paramref name="outputColumnIndex"/>: a <see cref="ValueGetter{TValue}"/> of the column's
    /// raw type that reads <paramref name="input"/> (whose dependency columns are active) each time it is called.
    /// </summary>
    protected abstract Delegate MakeGetter(DataViewRow input, int outputColumnIndex);

    /// <summary>
    /// The getters of all active added columns (null for inactive ones). Override to share work between columns
    /// computed together, for example by caching per <see cref="DataViewRow.Position"/>.
    /// </summary>
    protected virtual Delegate?[] MakeGetters(DataViewRow input, Func<int, bool> isOutputActive)
    {
        var getters = new Delegate?[AddedColumns.Length];
        for (int j = 0; j < getters.Length; j++)
        {
            if (isOutputActive(j))
                getters[j] = MakeGetter(input, j);
        }
        return getters;
    }

    private protected sealed override IEnumerable<DataViewSchema.Column> DependenciesOfAdded(int addedIndex) =>
        GetInputDependencies(addedIndex);

    private protected sealed override DataViewRow MakeRow(DataViewRow input, bool[] outputActive)
    {
        int n = InputSchema.Count;
        var getters = MakeGetters(input, j => outputActive[n + j]);
        for (int j = 0; j < AddedColumns.Length; j++)
        {
            if (!outputActive[n + j])
                continue;
            var expected = typeof(ValueGetter<>).MakeGenericType(AddedColumns[j].Type.RawType);
            if (getters[j]?.GetType() != expected)
                throw new InvalidOperationException(
                    $"{GetType().Name} returned a {getters[j]?.GetType().Name ?? "null"} getter for column '{AddedColumns[j].Name}'; expected {expected}.");
        }
        return new MappedRow(input, OutputSchema, outputActive, getters);
    }
}
