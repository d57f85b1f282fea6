using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Unit.Mapping;

/// <summary>The VAE's IDataView as ML.NET's components see it: schemas, errors, parallel cursors, laziness, pass-through columns, positions and ids.</summary>
[TestClass]
public sealed class MappingTests
{
    private static MLContext _ml = null!;
    private static MixedRow[] _rows = null!;
    private static IDataView _input = null!;
    private static ITransformer _prefix = null!;
    private static VaeTransformer _vae = null!;

    // One small fit serves the class: the rows pass Concatenate, NormalizeMeanVariance and MapValueToKey first.
    [ClassInitialize]
    public static void Fit(TestContext _)
    {
        _ml = new MLContext(seed: 1);
        _rows = PipelineData.Rows(600);
        var data = _ml.Data.LoadFromEnumerable(_rows);
        var prefix = _ml.Transforms.Concatenate("Features", "Left", "Right")
            .Append(_ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(_ml.Transforms.Conversion.MapValueToKey("CategoryKey", "Category"))
            .Fit(data);
        _prefix = prefix;
        _input = prefix.Transform(data);
        _vae = _ml.Transforms.VaeEncode(PipelineData.Options(o => { o.Epochs = 2; o.AnomalyScoreColumnName = "AnomalyScore"; })).Fit(_input);
    }

    [ClassCleanup]
    public static void Cleanup() => _vae?.Dispose();

    [TestMethod]
    public void TheEstimatorsAndTheTransformersSchemasAgreeWithTheOutput()
    {
        var estimator = _ml.Transforms.VaeEncode(PipelineData.Options(o => o.AnomalyScoreColumnName = "AnomalyScore"));
        var shape = estimator.GetOutputSchema(Shapes.Of(_input.Schema));
        var predicted = _vae.GetOutputSchema(_input.Schema);
        var actual = _vae.Transform(_input).Schema;
        Assert.AreEqual(actual.Count, predicted.Count);
        for (int i = 0; i < actual.Count; i++)
        {
            Assert.AreEqual(actual[i].Name, predicted[i].Name);
            Assert.AreEqual(actual[i].Type, predicted[i].Type, actual[i].Name);
        }
        foreach (var column in actual)
        {
            var found = shape.Where(c => c.Name == column.Name).ToArray();
            Assert.HasCount(1, found, $"the estimator's shape has '{column.Name}' once");
            var expected = found[0];
            var type = column.Type;
            var itemType = type is VectorDataViewType v ? v.ItemType : type;
            bool vector = type is VectorDataViewType;
            Assert.AreEqual(vector ? SchemaShape.Column.VectorKind.Vector : SchemaShape.Column.VectorKind.Scalar, expected.Kind, column.Name);
            Assert.AreEqual(itemType is KeyDataViewType, expected.IsKey, column.Name);
            if (itemType is not KeyDataViewType) Assert.AreEqual(itemType, expected.ItemType, column.Name);
            bool hasSlotNames = column.Annotations.Schema.GetColumnOrNull("SlotNames") is not null;
            if (column.Index >= _input.Schema.Count)
                Assert.AreEqual(hasSlotNames, expected.Annotations.Any(a => a.Name == "SlotNames"), $"slot names of '{column.Name}'");
        }
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        actual["LatentLogVariance"].GetSlotNames(ref names);
        CollectionAssert.AreEqual(new[] { "z0", "z1" }, names.DenseValues().Select(n => n.ToString()).ToArray());
        actual["Reconstruction"].GetSlotNames(ref names);
        // The input (a Concatenate of unnamed vectors) has no slot names, so the reconstruction names its own.
        Assert.IsNull(_input.Schema["Features"].Annotations.Schema.GetColumnOrNull("SlotNames"));
        CollectionAssert.AreEqual(Enumerable.Range(0, SyntheticData.Dimension).Select(i => $"Feature{i}").ToArray(), names.DenseValues().Select(n => n.ToString()).ToArray());
        Assert.AreEqual(NumberDataViewType.Single, actual["AnomalyScore"].Type);
    }

    [TestMethod]
    public void SchemaErrorsNameTheColumn()
    {
        var raw = _ml.Data.LoadFromEnumerable(_rows);
        var missing = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => _vae.Transform(raw));
        StringAssert.Contains(missing.Message, "'Features'");
        var wrongType = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            _ml.Transforms.VaeEncode(PipelineData.Options(o => o.InputColumnName = "Doubles")).GetOutputSchema(Shapes.Of(raw.Schema)));
        StringAssert.Contains(wrongType.Message, "'Doubles'");
        var wrongSize = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => _vae.Transform(_ml.Transforms.Concatenate("Features", "Left").Fit(raw).Transform(raw)));
        StringAssert.Contains(wrongSize.Message, "'Features'");
        StringAssert.Contains(wrongSize.Message, "size 20");
        var condition = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            _ml.Transforms.VaeEncode(PipelineData.Options(o => o.ConditionColumnName = "Text")).GetOutputSchema(Shapes.Of(_input.Schema)));
        StringAssert.Contains(condition.Message, "'Text'");
        // Inside a chain, ML.NET asks the VAE for its output schema before fitting anything: the column is named there too.
        var chain = _ml.Transforms.Concatenate("Pixels", "Left").Append(_ml.Transforms.VaeEncode(PipelineData.Options()));
        var inChain = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => chain.Fit(raw));
        StringAssert.Contains(inChain.Message, "'Features'");
    }

    private sealed record Seen(DataViewRowId Id, string Text, float[] Mean, float Score);

    private static List<Seen> Read(DataViewRowCursor cursor)
    {
        var schema = cursor.Schema;
        var text = cursor.GetGetter<ReadOnlyMemory<char>>(schema["Text"]);
        var mean = cursor.GetGetter<VBuffer<float>>(schema["LatentMean"]);
        var score = cursor.GetGetter<float>(schema["AnomalyScore"]);
        var id = cursor.GetIdGetter();
        var seen = new List<Seen>();
        ReadOnlyMemory<char> t = default;
        VBuffer<float> m = default;
        float s = 0;
        DataViewRowId i = default;
        while (cursor.MoveNext())
        {
            text(ref t);
            mean(ref m);
            score(ref s);
            id(ref i);
            seen.Add(new Seen(i, t.ToString(), m.DenseValues().ToArray(), s));
        }
        return seen;
    }

    [TestMethod]
    public void ParallelCursorsOnSeparateThreadsGiveExactlyTheRowsOfOneCursor()
    {
        var transformed = _vae.Transform(_ml.Data.Cache(_input));
        var columns = new[] { transformed.Schema["Text"], transformed.Schema["LatentMean"], transformed.Schema["AnomalyScore"] };
        List<Seen> single;
        using (var cursor = transformed.GetRowCursor(columns)) single = Read(cursor);
        Assert.HasCount(_rows.Length, single);

        var cursors = transformed.GetRowCursorSet(columns, 4);
        Assert.IsGreaterThan(1, cursors.Length, "a cached view hands out parallel cursors");
        var parts = new List<Seen>[cursors.Length];
        var threads = cursors.Select((c, k) => new Thread(() => { using (c) parts[k] = Read(c); })).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();
        var merged = parts.SelectMany(p => p).ToDictionary(s => s.Id);
        Assert.HasCount(single.Count, merged, "every row once");
        foreach (var row in single)
        {
            Assert.IsTrue(merged.TryGetValue(row.Id, out var other), $"row {row.Id} is missing");
            Assert.AreEqual(row.Text, other.Text);
            // Other batches, other GEMM shapes: float precision.
            TensorChecks.Close(row.Mean, other.Mean, 1e-5, row.Text);
            Assert.AreEqual(row.Score, other.Score, 1e-3 * Math.Max(1, Math.Abs(row.Score)), row.Text);
        }
    }

    [TestMethod]
    public void OnlyTheRequestedOutputsAreComputed()
    {
        var network = _vae.Network;
        var decoder = (torch.nn.Module<torch.Tensor, torch.Tensor>)network.named_children().Single(c => c.name == "decoder").module;
        var logVarianceHead = (torch.nn.Module<torch.Tensor, torch.Tensor>)network.named_children().Single(c => c.name == "log_variance_head").module;
        var encoder = (torch.nn.Module<torch.Tensor, torch.Tensor>)network.named_children().Single(c => c.name == "encoder").module;
        int decoded = 0, logVariances = 0, encoded = 0;
        // Counters on the network of this class's own model; forward hooks see every forward pass.
        var hooks = new[]
        {
            decoder.register_forward_hook((_, _, output) => { Interlocked.Add(ref decoded, (int)output.size(0)); return output; }),
            logVarianceHead.register_forward_hook((_, _, output) => { Interlocked.Add(ref logVariances, (int)output.size(0)); return output; }),
            encoder.register_forward_hook((_, _, output) => { Interlocked.Add(ref encoded, (int)output.size(0)); return output; }),
        };
        try
        {
            var transformed = _vae.Transform(_input);
            long Count(params string[] names)
            {
                using var cursor = transformed.GetRowCursor(names.Select(n => transformed.Schema[n]));
                var getters = names.Select(n => transformed.Schema[n]).Where(c => c.Type is VectorDataViewType { ItemType: NumberDataViewType }).Select(c => cursor.GetGetter<VBuffer<float>>(c)).ToArray();
                long rows = 0;
                var value = default(VBuffer<float>);
                while (cursor.MoveNext())
                {
                    foreach (var getter in getters) getter(ref value);
                    rows++;
                }
                return rows;
            }

            Assert.AreEqual(600, Count("Text"));
            Assert.AreEqual(0, encoded, "a cursor over pass-through columns runs no network");
            Assert.AreEqual(600, Count("LatentMean"));
            Assert.AreEqual(600, encoded, "the encoder ran once per row");
            Assert.AreEqual(0, logVariances, "reading only the latent means skips the log σ² head");
            Assert.AreEqual(0, decoded, "reading only the latent means does not run the decoder");
            Count("LatentMean", "LatentLogVariance");
            Assert.AreEqual(600, logVariances);
            Assert.AreEqual(0, decoded);
            Count("Reconstruction");
            Assert.AreEqual(600, decoded, "the reconstruction runs the decoder, once per row");
        }
        finally
        {
            foreach (var hook in hooks) hook.remove();
        }
    }

    [TestMethod]
    public void PassThroughColumnsOfEveryTypeSurviveBatchingUnchanged()
    {
        // 600 rows: two full batches of 256 and a partial one.
        var outputs = _ml.Data.CreateEnumerable<MixedOutput>(_vae.Transform(_input), reuseRowObject: false).ToArray();
        var keys = _ml.Data.CreateEnumerable<MixedOutput>(_input, false, ignoreMissingColumns: true).Select(r => r.CategoryKey).ToArray();
        Assert.HasCount(_rows.Length, outputs);
        for (int i = 0; i < _rows.Length; i++)
        {
            var (row, output) = (_rows[i], outputs[i]);
            Assert.AreEqual(row.Text, output.Text, $"row {i}");
            Assert.AreEqual(keys[i], output.CategoryKey, $"row {i}");
            Assert.IsGreaterThan(0u, output.CategoryKey, $"row {i}: a key, not missing");
            Assert.AreEqual(row.Label, output.Label, $"row {i}");
            Assert.AreEqual(row.Scalar, output.Scalar, $"row {i}");
            Assert.AreEqual(row.Flag, output.Flag, $"row {i}");
            CollectionAssert.AreEqual(row.Doubles, output.Doubles, $"row {i}");
            Assert.HasCount(2, output.LatentMean);
        }
        // The key keeps its type (and so its cardinality) through the VAE's view.
        Assert.AreEqual(_input.Schema["CategoryKey"].Type, _vae.Transform(_input).Schema["CategoryKey"].Type);
    }

    [TestMethod]
    public void PositionsBatchesAndIdsBehaveLikeTheInputsCursor()
    {
        var transformed = _vae.Transform(_input);
        using var cursor = transformed.GetRowCursor([transformed.Schema["LatentMean"]]);
        using var source = _input.GetRowCursor([_input.Schema["Features"]]);
        var id = cursor.GetIdGetter();
        var sourceId = source.GetIdGetter();
        Assert.AreEqual(-1, cursor.Position, "before the first MoveNext");
        DataViewRowId a = default, b = default;
        var ids = new HashSet<DataViewRowId>();
        long expected = 0;
        while (cursor.MoveNext())
        {
            Assert.IsTrue(source.MoveNext());
            Assert.AreEqual(expected++, cursor.Position);
            Assert.AreEqual(source.Batch, cursor.Batch);
            id(ref a);
            sourceId(ref b);
            Assert.AreEqual(b, a, $"row {cursor.Position}: the input's id");
            Assert.IsTrue(ids.Add(a), "ids are unique");
        }
        Assert.IsFalse(source.MoveNext());
        Assert.AreEqual(600, expected);
        Assert.AreEqual(-1, cursor.Position, "after the last row, as ML.NET's cursors");
        Assert.IsFalse(cursor.MoveNext(), "and it stays done");
        Assert.IsFalse(cursor.IsColumnActive(transformed.Schema["Reconstruction"]));
        var inactive = Assert.ThrowsExactly<InvalidOperationException>(() => cursor.GetGetter<VBuffer<float>>(transformed.Schema["Reconstruction"]));
        StringAssert.Contains(inactive.Message, "'Reconstruction'");
        var wrongType = Assert.ThrowsExactly<InvalidOperationException>(() => cursor.GetGetter<float>(transformed.Schema["LatentMean"]));
        StringAssert.Contains(wrongType.Message, "'LatentMean'");
        Assert.AreEqual(_input.GetRowCount(), transformed.GetRowCount());
    }
}
