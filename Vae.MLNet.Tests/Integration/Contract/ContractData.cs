using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet.Tests.Integration.Contract;

/// <summary>
/// A row of the contract's data: the model's vector, a key (the condition of a conditional VAE, a pass-through column
/// for the others) and pass-through columns of other kinds. Sizes and types are set per view by a SchemaDefinition,
/// so one class serves the valid views and the invalid ones (missing column, other type, other size).
/// </summary>
public sealed class ContractRow
{
    /// <summary>The model's input vector.</summary>
    public float[] Features { get; set; } = [];

    /// <summary>A key's index, 0 to the view's key count − 1 (LoadFromEnumerable stores index + 1, its raw key value, and 0 for an index out of range).</summary>
    public uint Group { get; set; }

    /// <summary>A pass-through number.</summary>
    public float Label { get; set; }

    /// <summary>A pass-through text.</summary>
    public string Note { get; set; } = "";
}

/// <summary>The same row with a vector of Double, the wrong item type for every estimator under test.</summary>
public sealed class DoubleContractRow
{
    /// <summary>The input vector, as Double.</summary>
    public double[] Features { get; set; } = [];

    /// <summary>A key's index, 0 to the view's key count − 1.</summary>
    public uint Group { get; set; }
}

/// <summary>The same row with its vector as a VBuffer, which may be sparse (as OneHotEncoding or text featurizers write them).</summary>
public sealed class SparseContractRow
{
    /// <summary>The model's input vector, stored sparse.</summary>
    public VBuffer<float> Features { get; set; }

    /// <summary>A key's index, 0 to the view's key count − 1.</summary>
    public uint Group { get; set; }

    /// <summary>A pass-through number.</summary>
    public float Label { get; set; }

    /// <summary>A pass-through text.</summary>
    public string Note { get; set; } = "";
}

/// <summary>Builds the contract's views, valid and invalid.</summary>
internal static class ContractData
{
    /// <summary>The key count of <see cref="ContractRow.Group"/> in the valid views.</summary>
    public const int Groups = 3;

    /// <summary>Rows of <paramref name="size"/> values near a few group centres (so a tiny network learns something).</summary>
    public static ContractRow[] Rows(int count, int size, int seed = 0)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i =>
        {
            uint group = (uint)random.Next(Groups);
            var features = new float[size];
            for (int j = 0; j < size; j++)
                features[j] = (float)(Math.Sin((group + 1) * (j + 1)) + 0.3 * (random.NextDouble() - 0.5));
            return new ContractRow { Features = features, Group = group, Label = i % 2, Note = $"row {i}" };
        }).ToArray();
    }

    /// <summary>
    /// A view of <paramref name="rows"/> whose Features column is named <paramref name="featuresName"/> with
    /// <paramref name="size"/> values (0: a vector of unknown size), and whose Group column is a key of
    /// <paramref name="groups"/> values (0: a plain UInt32) named <paramref name="groupName"/>.
    /// </summary>
    public static IDataView View(MLContext ml, ContractRow[] rows, int size, int groups = Groups, string featuresName = "Features", string groupName = "Group", int[]? dimensions = null, bool slotNames = false) =>
        ml.Data.LoadFromEnumerable(rows, Definition(size, groups, featuresName, groupName, dimensions, slotNames));

    /// <summary>The schema definition of <see cref="View"/> (Features of <paramref name="dimensions"/> when given, with slot names f0, f1, … when asked), also the PredictionEngine's input definition.</summary>
    public static SchemaDefinition Definition(int size, int groups = Groups, string featuresName = "Features", string groupName = "Group", int[]? dimensions = null, bool slotNames = false,
        Type? rowType = null)
    {
        var definition = SchemaDefinition.Create(rowType ?? typeof(ContractRow));
        // The indexer finds a column by its current name, so each is taken before it is renamed.
        var features = definition[nameof(ContractRow.Features)];
        var group = definition[nameof(ContractRow.Group)];
        features.ColumnType = dimensions is null ? new VectorDataViewType(NumberDataViewType.Single, size) : new VectorDataViewType(NumberDataViewType.Single, dimensions);
        features.ColumnName = featuresName;
        if (slotNames)
        {
            var names = new VBuffer<ReadOnlyMemory<char>>(size, Enumerable.Range(0, size).Select(i => $"f{i}".AsMemory()).ToArray());
            features.AddAnnotation("SlotNames", names, new VectorDataViewType(TextDataViewType.Instance, size));
        }
        group.ColumnType = groups > 0 ? new KeyDataViewType(typeof(uint), groups) : NumberDataViewType.UInt32;
        group.ColumnName = groupName;
        return definition;
    }

    /// <summary>The rows with Features as a vector of Double of <paramref name="size"/> values.</summary>
    public static IDataView DoubleView(MLContext ml, ContractRow[] rows, int size)
    {
        var definition = SchemaDefinition.Create(typeof(DoubleContractRow));
        definition[nameof(DoubleContractRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Double, size);
        definition[nameof(DoubleContractRow.Group)].ColumnType = new KeyDataViewType(typeof(uint), Groups);
        var doubles = rows.Select(r => new DoubleContractRow { Features = r.Features.Select(v => (double)v).ToArray(), Group = r.Group });
        return ml.Data.LoadFromEnumerable(doubles, definition);
    }

    /// <summary>
    /// The rows with two slots in three set to zero, as a dense view and as a view of sparse vectors holding only the
    /// other slots: the same values in ML.NET's two representations.
    /// </summary>
    public static (IDataView Dense, IDataView Sparse) DenseAndSparse(MLContext ml, ContractRow[] rows, int size, int[]? dimensions, bool slotNames)
    {
        var thinned = rows.Select((r, i) => new ContractRow
        {
            Features = r.Features.Select((v, j) => (i + j) % 3 == 0 ? v : 0f).ToArray(),
            Group = r.Group,
            Label = r.Label,
            Note = r.Note,
        }).ToArray();
        var sparse = thinned.Select(r =>
        {
            var indices = Enumerable.Range(0, size).Where(j => r.Features[j] != 0).ToArray();
            return new SparseContractRow
            {
                Features = new VBuffer<float>(size, indices.Length, indices.Select(j => r.Features[j]).ToArray(), indices),
                Group = r.Group,
                Label = r.Label,
                Note = r.Note,
            };
        }).ToArray();
        return (View(ml, thinned, size, dimensions: dimensions, slotNames: slotNames),
            ml.Data.LoadFromEnumerable(sparse, Definition(size, dimensions: dimensions, slotNames: slotNames, rowType: typeof(SparseContractRow))));
    }

    /// <summary>The rows with <paramref name="size"/> values each (cut or padded with zeros).</summary>
    public static ContractRow[] Resized(ContractRow[] rows, int size) => rows.Select(r => new ContractRow
    {
        Features = [.. r.Features.Take(size), .. new float[Math.Max(0, size - r.Features.Length)]],
        Group = r.Group,
        Label = r.Label,
        Note = r.Note,
    }).ToArray();
}
