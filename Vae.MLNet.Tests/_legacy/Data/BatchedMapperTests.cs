using Vae.MLNet.Data;

namespace Vae.MLNet.Tests.Data;

/// <summary>A dummy network-like transformer: adds Sum (of Features) and Scaled (Features × 2), one call per batch.</summary>
internal sealed class SumTransformer(int batchSize) : RowToRowTransformerBase
{
    public int BatchSize { get; } = batchSize;

    public List<int> BatchSizes { get; } = [];

    protected override IRowToRowMapper MakeRowMapper(DataViewSchema inputSchema) => new Mapper(this, inputSchema);

    public override void Save(ModelSaveContext ctx)
    {
        ctx.SetKind("TestSum");
        ctx.WriteOptions(new Options { BatchSize = BatchSize });
    }

    public static SumTransformer Load(ModelLoadContext ctx) => new(ctx.ReadOptions<Options>().BatchSize);

    public sealed class Options
    {
        public int BatchSize { get; set; }
    }

    private sealed class Mapper(SumTransformer owner, DataViewSchema input) : BatchedRowMapper(input, owner.BatchSize)
    {
        private readonly DataViewSchema.Column _features = input.GetColumnOrNull("Features") ?? throw new ArgumentOutOfRangeException(nameof(input), "Could not find input column 'Features'.");

        protected override DataViewSchema.DetachedColumn[] GetOutputColumns() =>
        [
            new("Sum", NumberDataViewType.Single),
            new("Scaled", _features.Type),
        ];

        protected override IEnumerable<DataViewSchema.Column> GetInputColumns() => [_features];

        protected override void MapBatch(RowBatch inputs, RowBatch outputs)
        {
            owner.BatchSizes.Add(inputs.Count);
            var features = inputs.GetColumn<VBuffer<float>>(_features);
            for (int i = 0; i < inputs.Count; i++)
            {
                var values = features[i].GetValues();
                if (outputs.IsColumnActive(0))
                {
                    float sum = 0;
                    foreach (float v in values)
                        sum += v;
                    outputs.GetColumn<float>(0)[i] = sum;
                }
            }
            if (outputs.IsColumnActive(1))
            {
                // The way a network mapper works: one dense matrix in, one dense matrix out.
                int width = ((VectorDataViewType)_features.Type).Size;
                var matrix = new float[inputs.Count * width];
                inputs.CopyToDense<float>(_features.Index, matrix, width);
                for (int k = 0; k < matrix.Length; k++)
                    matrix[k] *= 2;
                outputs.SetFromDense<float>(1, matrix, width);
            }
        }
    }
}

[TestClass]
public sealed class BatchedMapperTests
{
    private sealed class Row
    {
        public float Id;

        [VectorType(2)]
        public float[] Features = [];
    }

    private static IDataView Data(int n) =>
        new MLContext().Data.LoadFromEnumerable(Enumerable.Range(0, n).Select(i => new Row { Id = i, Features = [i, 10 * i] }).ToList());

    [TestMethod]
    public void CursorMapsOneBatchPerCallAndServesRowsInOrder()
    {
        var t = new SumTransformer(batchSize: 4);
        var output = t.Transform(Data(10));
        Assert.AreEqual(0, t.BatchSizes.Count, "Transform is lazy");

        var ids = TestData.Column<float>(output, "Id");
        Assert.AreEqual(0, t.BatchSizes.Count, "outputs were not requested, so no batch is mapped");

        using var cursor = output.GetRowCursor(output.Schema);
        var sum = cursor.GetGetter<float>(output.Schema["Sum"]);
        var id = cursor.GetGetter<float>(output.Schema["Id"]);
        var scaled = cursor.GetGetter<VBuffer<float>>(output.Schema["Scaled"]);
        var rowId = cursor.GetIdGetter();
        int n = 0;
        while (cursor.MoveNext())
        {
            float s = 0, i = 0;
            VBuffer<float> v = default;
            DataViewRowId rid = default;
            sum(ref s);
            id(ref i);
            scaled(ref v);
            rowId(ref rid);
            Assert.AreEqual(n, cursor.Position);
            Assert.AreEqual(n, (int)i);
            Assert.AreEqual(11f * n, s);
            CollectionAssert.AreEqual(new[] { 2f * n, 20f * n }, v.DenseValues().ToArray());
            Assert.AreEqual((ulong)n, rid.Low);
            n++;
        }
        Assert.AreEqual(10, n);
        CollectionAssert.AreEqual(new[] { 4, 4, 2 }, t.BatchSizes);
        Assert.AreEqual(10, ids.Count);
    }

    [TestMethod]
    public void ValuesHandedOutSurviveTheNextBatch()
    {
        var output = new SumTransformer(batchSize: 2).Transform(Data(5));
        var kept = TestData.Column<VBuffer<float>>(output, "Scaled");
        for (int i = 0; i < 5; i++)
            Assert.AreEqual(2f * i, kept[i].GetItemOrDefault(0));
    }

    [TestMethod]
    public void RowToRowMapperMapsSingleRowsAsBatchesOfOne()
    {
        var data = Data(3);
        var t = new SumTransformer(batchSize: 64);
        var mapper = t.GetRowToRowMapper(data.Schema);
        var sumColumn = mapper.OutputSchema["Sum"];
        var needed = mapper.GetDependencies([sumColumn]).ToArray();
        CollectionAssert.AreEqual(new[] { "Features" }, needed.Select(c => c.Name).ToArray());

        using var cursor = data.GetRowCursor(needed);
        var row = mapper.GetRow(cursor, [sumColumn]);
        var sum = row.GetGetter<float>(sumColumn);
        var results = new List<float>();
        while (cursor.MoveNext())
        {
            float s = 0;
            sum(ref s);
            sum(ref s);
            results.Add(s);
        }
        CollectionAssert.AreEqual(new[] { 0f, 11f, 22f }, results);
        CollectionAssert.AreEqual(new[] { 1, 1, 1 }, t.BatchSizes, "one map per row, even when the getter is called twice");
    }

    [TestMethod]
    public void MissingInputColumnIsRejectedBeforeAnyWork()
    {
        var data = new MLContext().Data.LoadFromEnumerable(new[] { new CountingRow(new int[2], 1, 2) });
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new SumTransformer(4).Transform(data));
        StringAssert.Contains(e.Message, "'Features'");
    }

    [TestMethod]
    public void ChainsComposeBatchedAndPerRowMappers()
    {
        var ml = new MLContext();
        var data = Data(6);
        var sum = new SumTransformer(batchSize: 4);
        var chain = sum.Append(ml.Transforms.CopyColumns("SumCopy", "Sum").Fit(sum.Transform(data)));
        var output = chain.Transform(data);
        CollectionAssert.AreEqual(new[] { 0f, 11f, 22f, 33f, 44f, 55f }, TestData.Column<float>(output, "SumCopy"));

        var mapper = chain.GetRowToRowMapper(data.Schema);
        var column = mapper.OutputSchema["SumCopy"];
        using var cursor = data.GetRowCursor(mapper.GetDependencies([column]));
        var row = mapper.GetRow(cursor, [column]);
        var getter = row.GetGetter<float>(column);
        Assert.IsTrue(cursor.MoveNext());
        Assert.IsTrue(cursor.MoveNext());
        float value = 0;
        getter(ref value);
        Assert.AreEqual(11f, value);
    }
}
