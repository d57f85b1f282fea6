using Vae.MLNet.Data;
using Vae.MLNet.Tests.Data;
using Vae.MLNet.Transforms;

namespace Vae.MLNet.Tests.Model;

[TestClass]
public sealed class ModelRoundTripTests
{
    internal sealed class Input
    {
        public string Label { get; set; } = "";

        public float A { get; set; }

        [VectorType(3)]
        public float[] V { get; set; } = [];

        public double D { get; set; }

        public string Extra { get; set; } = "";
    }

    internal sealed class Output
    {
        public uint LabelKey { get; set; }

        public string LabelBack { get; set; } = "";

        public float[] Features { get; set; } = [];

        public float[] MinMax { get; set; } = [];

        public float[] Cdf { get; set; } = [];

        public double Filled { get; set; }
    }

    internal static Input[] Rows() =>
    [
        new() { Label = "b", A = 1, V = [1, 2, 3], D = 1, Extra = "x" },
        new() { Label = "a", A = float.NaN, V = [4, -5, 6], D = double.NaN, Extra = "y" },
        new() { Label = "b", A = 3, V = [7, 8, -9], D = 5, Extra = "z" },
        new() { Label = "c", A = 4, V = [0, 1, 0], D = 6, Extra = "w" },
    ];

    /// <summary>A pipeline using every built-in transform.</summary>
    internal static IEstimator<ITransformer> Pipeline(MLContext ml) =>
        ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.Transforms.Conversion.MapKeyToValue("LabelBack", "LabelKey"))
            .Append(ml.Transforms.ReplaceMissingValues("AFilled", "A", MissingValueReplacingEstimator.ReplacementMode.Mean))
            .Append(ml.Transforms.ReplaceMissingValues("Filled", "D", MissingValueReplacingEstimator.ReplacementMode.Mode))
            .Append(ml.Transforms.Concatenate("Features", "AFilled", "V"))
            .Append(ml.Transforms.NormalizeMinMax("MinMax", "Features", fixZero: false))
            .Append(ml.Transforms.NormalizeMeanVariance("Cdf", "Features", useCdf: true))
            .Append(ml.Transforms.CopyColumns("Copy", "MinMax"))
            .Append(ml.Transforms.DropColumns("Extra"))
            .Append(ml.Transforms.SelectColumns("LabelKey", "LabelBack", "Features", "MinMax", "Cdf", "Filled", "Copy"));

    private static string ModelPath() => Path.Combine(Path.GetTempPath(), $"vae-model-{Guid.NewGuid():N}.zip");

    [TestMethod]
    public void ChainOfEveryBuiltInTransformRoundTrips()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Rows());
        var model = Pipeline(ml).Fit(data);
        string path = ModelPath();
        try
        {
            ml.Model.Save(model, data.Schema, path);
            var loaded = ml.Model.Load(path, out var schema);
            Assert.AreEqual(data.Schema.Count, schema.Count);
            Assert.AreEqual(data.Schema["V"].Type, schema["V"].Type);
            Assert.IsInstanceOfType<TransformerChain<ITransformer>>(loaded);
            Assert.AreEqual(10, ((TransformerChain<ITransformer>)loaded).Count());

            var expected = ml.Data.CreateEnumerable<Output>(model.Transform(data), false).ToList();
            var actual = ml.Data.CreateEnumerable<Output>(loaded.Transform(data), false).ToList();
            for (int i = 0; i < expected.Count; i++)
            {
                Assert.AreEqual(expected[i].LabelKey, actual[i].LabelKey);
                Assert.AreEqual(expected[i].LabelBack, actual[i].LabelBack);
                CollectionAssert.AreEqual(expected[i].Features, actual[i].Features);
                CollectionAssert.AreEqual(expected[i].MinMax, actual[i].MinMax);
                CollectionAssert.AreEqual(expected[i].Cdf, actual[i].Cdf);
                Assert.AreEqual(expected[i].Filled, actual[i].Filled);
            }
            Assert.AreEqual(1u, actual[1].LabelKey, "keys by value: a=1");
            Assert.AreEqual(3u, actual[3].LabelKey);
            var slots = default(VBuffer<ReadOnlyMemory<char>>);
            loaded.GetOutputSchema(schema)["Copy"].GetSlotNames(ref slots);
            Assert.AreEqual("AFilled", slots.GetItemOrDefault(0).ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void SavingIsDeterministicAndStreamsWork()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Rows());
        var model = Pipeline(ml).Fit(data);
        byte[] first = Save(ml, model, data.Schema);
        byte[] second = Save(ml, model, data.Schema);
        CollectionAssert.AreEqual(first, second);

        var loaded = ml.Model.Load(new MemoryStream(first), out _);
        CollectionAssert.AreEqual(TestData.Vectors(model.Transform(data), "Cdf").SelectMany(v => v).ToList(),
            TestData.Vectors(loaded.Transform(data), "Cdf").SelectMany(v => v).ToList());
    }

    internal static byte[] Save(MLContext ml, ITransformer model, DataViewSchema schema)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, schema, stream);
        return stream.ToArray();
    }

    [TestMethod]
    public void NestedChainsAndSingleTransformersRoundTrip()
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(Rows());
        var inner = ml.Transforms.Concatenate("F", "A", "V").Fit(data);
        var nested = new TransformerChain<ITransformer>(new TransformerChain<ITransformer>(inner), ml.Transforms.CopyColumns("G", "F").Fit(inner.Transform(data)));
        var loaded = ml.Model.Load(new MemoryStream(Save(ml, nested, data.Schema)), out _);
        CollectionAssert.AreEqual(TestData.Vectors(nested.Transform(data), "G")[2], TestData.Vectors(loaded.Transform(data), "G")[2]);

        var single = ml.Model.Load(new MemoryStream(Save(ml, inner, data.Schema)), out _);
        Assert.IsInstanceOfType<ColumnConcatenatingTransformer>(single);
    }

    [TestMethod]
    public void ThirdPartyTransformersLoadOnceRegistered()
    {
        ModelLoadRegistry.Register("TestSum", SumTransformer.Load);
        ModelLoadRegistry.Register("TestSum", SumTransformer.Load);
        Assert.ThrowsExactly<InvalidOperationException>(() => ModelLoadRegistry.Register("TestSum", _ => new SumTransformer(1)));
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(new[] { new Input { V = [1, 2, 3] } });
        var features = ml.Transforms.CopyColumns("Features", "V").Fit(data);
        var model = features.Append(new SumTransformer(batchSize: 7));
        var loaded = (TransformerChain<ITransformer>)ml.Model.Load(new MemoryStream(Save(ml, model, data.Schema)), out _);
        Assert.AreEqual(7, ((SumTransformer)loaded.LastTransformer).BatchSize);
        CollectionAssert.AreEqual(new[] { 6f }, TestData.Column<float>(loaded.Transform(data), "Sum"));
    }

    [TestMethod]
    public void FailedSaveKeepsTheExistingFile()
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(Rows());
        var good = ml.Transforms.CopyColumns("B", "A").Fit(data);
        string path = ModelPath();
        try
        {
            ml.Model.Save(good, data.Schema, path);
            byte[] before = File.ReadAllBytes(path);
            Assert.ThrowsExactly<InvalidOperationException>(() => ml.Model.Save(good.Append(new FailingTransformer()), data.Schema, path));
            CollectionAssert.AreEqual(before, File.ReadAllBytes(path));
            Assert.AreEqual(0, Directory.GetFiles(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}*.tmp").Length, "the temporary file is removed");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed class FailingTransformer : RowToRowTransformerBase
    {
        protected override IRowToRowMapper MakeRowMapper(DataViewSchema inputSchema) => throw new NotSupportedException();

        public override void Save(ModelSaveContext ctx)
        {
            ctx.SetKind("Failing");
            throw new InvalidOperationException("cannot save");
        }
    }

    private sealed class Options
    {
        public string Note = "";
        public double Value;
    }

    private sealed class ArraysComponent : RowToRowTransformerBase
    {
        public float[] Floats = [];
        public double[] Doubles = [];
        public int[] Ints = [];
        public long[] Longs = [];
        public byte[] Bytes = [];

        protected override IRowToRowMapper MakeRowMapper(DataViewSchema inputSchema) => throw new NotSupportedException();

        public override void Save(ModelSaveContext ctx)
        {
            ctx.SetKind("TestArrays");
            ctx.WriteOptions(new Options { Note = "x", Value = double.NaN });
            ctx.WriteArray("floats", Floats, 2, 3);
            ctx.WriteArray("doubles", Doubles);
            ctx.WriteArray("ints", Ints);
            ctx.WriteArray("longs", Longs);
            ctx.WriteArray("bytes", Bytes);
            ctx.WriteArray("scalar", new ReadOnlySpan<float>([4.5f]), ReadOnlySpan<int>.Empty);
        }

        public static ArraysComponent Load(ModelLoadContext ctx)
        {
            var options = ctx.ReadOptions<Options>();
            Assert.AreEqual("x", options.Note);
            Assert.IsTrue(double.IsNaN(options.Value));
            var floats = ctx.ReadArray<float>("floats", out int[] shape);
            CollectionAssert.AreEqual(new[] { 2, 3 }, shape);
            Assert.ThrowsExactly<InvalidDataException>(() => ctx.ReadArray<float>("floats", 3, 2));
            Assert.ThrowsExactly<InvalidDataException>(() => ctx.ReadArray<double>("floats"));
            Assert.ThrowsExactly<InvalidDataException>(() => ctx.ReadArray<float>("nope"));
            ctx.ReadArray<float>("scalar", out int[] scalarShape);
            Assert.AreEqual(0, scalarShape.Length);
            return new ArraysComponent
            {
                Floats = floats,
                Doubles = ctx.ReadArray<double>("doubles"),
                Ints = ctx.ReadArray<int>("ints"),
                Longs = ctx.ReadArray<long>("longs"),
                Bytes = ctx.ReadArray<byte>("bytes"),
            };
        }
    }

    [TestMethod]
    public void ArraysOfEveryDTypeRoundTrip()
    {
        ModelLoadRegistry.Register("TestArrays", ArraysComponent.Load);
        var original = new ArraysComponent
        {
            Floats = [1, 2, 3, 4, 5, float.NaN],
            Doubles = [double.Epsilon, -1e300],
            Ints = [int.MinValue, 7],
            Longs = [long.MaxValue],
            Bytes = [0, 255],
        };
        var ml = new MLContext();
        var loaded = (ArraysComponent)ml.Model.Load(new MemoryStream(Save(ml, original, DataViewSchema.Create([]))), out var schema);
        Assert.AreEqual(0, schema.Count);
        CollectionAssert.AreEqual(original.Floats, loaded.Floats);
        CollectionAssert.AreEqual(original.Doubles, loaded.Doubles);
        CollectionAssert.AreEqual(original.Ints, loaded.Ints);
        CollectionAssert.AreEqual(original.Longs, loaded.Longs);
        CollectionAssert.AreEqual(original.Bytes, loaded.Bytes);
    }

    [TestMethod]
    public void InvalidNamesAndShapesAreRejectedOnSave()
    {
        var ml = new MLContext();
        Assert.ThrowsExactly<ArgumentException>(() => Save(ml, new BadNameComponent("../evil"), DataViewSchema.Create([])));
        Assert.ThrowsExactly<ArgumentException>(() => Save(ml, new BadNameComponent("ok", shape: [4]), DataViewSchema.Create([])));
    }

    private sealed class BadNameComponent(string name, int[]? shape = null) : RowToRowTransformerBase
    {
        protected override IRowToRowMapper MakeRowMapper(DataViewSchema inputSchema) => throw new NotSupportedException();

        public override void Save(ModelSaveContext ctx)
        {
            ctx.SetKind("Bad");
            ctx.WriteArray(name, new float[3], shape ?? [3]);
        }
    }
}
