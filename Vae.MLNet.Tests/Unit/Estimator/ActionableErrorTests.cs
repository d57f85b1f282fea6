using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet.Tests.Unit.Estimator;

/// <summary>
/// Errors a user can act on (issue 25, item 9): each names the option, column or object that was wrong and what
/// works instead, rather than an OverflowException, libtorch's C++ frames or "Tensor invalid -- empty handle".
/// </summary>
[TestClass]
public sealed class ActionableErrorTests
{
    private sealed class Row
    {
        [VectorType(3)] public float[] Features { get; set; } = [];
    }

    private sealed class WideRow
    {
        [VectorType(64)] public float[] Features { get; set; } = [];
    }

    private sealed class HugeRow
    {
        [VectorType(2048)] public float[] Features { get; set; } = [];
    }

    private sealed class KeyRow
    {
        [VectorType(3)] public float[] Features { get; set; } = [];
        public uint Key { get; set; }
    }

    private sealed class VectorConditionRow
    {
        [VectorType(3)] public float[] Features { get; set; } = [];
        public float[] Condition { get; set; } = [];
    }

    private sealed class ImageRow
    {
        public float[] Pixels { get; set; } = [];
    }

    private static readonly MLContext Ml = new(seed: 1);

    private static IDataView Data(int rows = 6) =>
        Ml.Data.LoadFromEnumerable(Enumerable.Range(0, rows).Select(i => new Row { Features = [i % 3 * 0.3f, 0.5f, 1 - i % 2 * 0.4f] }).ToArray());

    private static VaeOptions Small(Action<VaeOptions>? change = null)
    {
        var o = new VaeOptions { LatentDimension = 2, HiddenDimensions = [4], Epochs = 1, BatchSize = 4 };
        change?.Invoke(o);
        return o;
    }

    [TestMethod]
    public void AHugeBatchSizeIsRefusedNamingItsLimit()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Ml.Transforms.VaeEncode(Small(o => o.BatchSize = int.MaxValue)));
        Assert.AreEqual(nameof(VaeOptions.BatchSize), e.ParamName);
        StringAssert.Contains(e.Message, VaeOptions.MaxBatchSize.ToString("N0"));
        var autoencoder = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            Ml.Transforms.AutoencoderEncode(new AutoencoderOptions { LatentDimension = 2, BatchSize = int.MaxValue }));
        Assert.AreEqual(nameof(AutoencoderOptions.BatchSize), autoencoder.ParamName);
        StringAssert.Contains(autoencoder.Message, VaeOptions.MaxBatchSize.ToString("N0"));
    }

    [TestMethod]
    public void TheLargestBatchSizeTrainsOnAFewRowsAllocatingForThoseRows()
    {
        // The batch buffers grow with the rows read, so the largest batch allocates for 6 rows, not for a million
        // (2^20 rows of 64 values would be 256 MiB).
        var wide = Ml.Data.LoadFromEnumerable(Enumerable.Range(0, 6).Select(i => new WideRow { Features = Enumerable.Range(0, 64).Select(j => (i + j) % 7 / 7f).ToArray() }).ToArray());
        long before = GC.GetAllocatedBytesForCurrentThread();
        using var model = Ml.Transforms.VaeEncode(Small(o => o.BatchSize = VaeOptions.MaxBatchSize)).Fit(wide);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.AreEqual(1, model.TrainingHistory.Count);
        Assert.IsTrue(allocated < 64 << 20, $"{allocated:N0} bytes allocated");
        using var autoencoder = Ml.Transforms.AutoencoderEncode(new AutoencoderOptions { LatentDimension = 2, HiddenDimensions = [4], Epochs = 1, BatchSize = VaeOptions.MaxBatchSize })
            .Fit(Data());
        Assert.AreEqual(2, autoencoder.Encode([0.1f, 0.2f, 0.3f]).Length);
    }

    [TestMethod]
    public void ABatchOfWideRowsBeyondOneArrayIsRefusedNamingTheLargestBatchSize()
    {
        var wide = Ml.Data.LoadFromEnumerable([new HugeRow { Features = new float[2048] }]);
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Ml.Transforms.VaeEncode(Small(o => o.BatchSize = VaeOptions.MaxBatchSize)).Fit(wide));
        Assert.AreEqual(nameof(VaeOptions.BatchSize), e.ParamName);
        StringAssert.Contains(e.Message, "'Features'");
        StringAssert.Contains(e.Message, "at most 1,048,575");
        var autoencoder = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            Ml.Transforms.AutoencoderEncode(new AutoencoderOptions { LatentDimension = 2, BatchSize = VaeOptions.MaxBatchSize }).Fit(wide));
        Assert.AreEqual(nameof(AutoencoderOptions.BatchSize), autoencoder.ParamName);
    }

    [TestMethod]
    public void TheIssuesSmallImagesAreRefusedAtConstructionNamingTheSmallestSize()
    {
        // The default HiddenDimensions of the convolutional VAE, [32, 64], are two stride-2 layers: 4 × 4 at least.
        foreach (int[] shape in new[] { new[] { 2, 2, 2 }, [1, 3, 5], [8, 1, 1] })
        {
            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
                Ml.Transforms.VaeEncode(new VaeOptions { Architecture = VaeArchitecture.Convolutional, ImageShape = shape }), string.Join(",", shape));
            Assert.AreEqual(nameof(VaeOptions.ImageShape), e.ParamName);
            StringAssert.Contains(e.Message, "HiddenDimensions");
            StringAssert.Contains(e.Message, "4 × 4");
        }
    }

    [TestMethod]
    public void TheSmallestImageForEachDepthTrainsAndOneLessIsRefused()
    {
        for (int layers = 1; layers <= 3; layers++)
        {
            int smallest = 1 << layers;
            var hidden = Enumerable.Repeat(2, layers).ToArray();
            VaeOptions Conv(int height, int width) => new()
            {
                Architecture = VaeArchitecture.Convolutional, ImageShape = [1, height, width], HiddenDimensions = hidden, InputColumnName = "Pixels",
                LatentDimension = 2, Epochs = 1, BatchSize = 4,
            };
            using (var model = Ml.Transforms.VaeEncode(Conv(smallest, smallest)).Fit(Images(1, smallest, smallest)))
                Assert.AreEqual(smallest * smallest, model.Reconstruct(new float[smallest * smallest]).Length);
            // An odd size one above the smallest halves to the same sizes, and the decoder restores it.
            using (var model = Ml.Transforms.VaeEncode(Conv(smallest + 1, smallest)).Fit(Images(1, smallest + 1, smallest)))
                Assert.AreEqual((smallest + 1) * smallest, model.Reconstruct(new float[(smallest + 1) * smallest]).Length);
            foreach (var (height, width) in new[] { (smallest - 1, smallest), (smallest, smallest - 1) })
            {
                var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Ml.Transforms.VaeEncode(Conv(height, width)), $"{layers} layers, {height}×{width}");
                Assert.AreEqual(nameof(VaeOptions.ImageShape), e.ParamName);
                StringAssert.Contains(e.Message, $"{smallest} × {smallest}");
                StringAssert.Contains(e.Message, $"HiddenDimensions [{string.Join(", ", hidden)}]");
            }
        }
    }

    [TestMethod]
    public void ASmallImageShapeFromTheColumnIsRefusedAtFit()
    {
        var estimator = Ml.Transforms.VaeEncode(new VaeOptions
        {
            Architecture = VaeArchitecture.Convolutional, HiddenDimensions = [2, 2], InputColumnName = "Pixels", LatentDimension = 2, Epochs = 1,
        });
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => estimator.Fit(Images(1, 3, 5)));
        Assert.AreEqual(nameof(VaeOptions.ImageShape), e.ParamName);
        StringAssert.Contains(e.Message, "'Pixels'");
        StringAssert.Contains(e.Message, "[1, 3, 5]");
        StringAssert.Contains(e.Message, "4 × 4");
    }

    [TestMethod]
    public void AKeyConditionWithTooManyValuesStatesTheLimit()
    {
        var definition = SchemaDefinition.Create(typeof(KeyRow));
        definition[nameof(KeyRow.Key)].ColumnType = new KeyDataViewType(typeof(uint), 200_000);
        var data = Ml.Data.LoadFromEnumerable([new KeyRow { Features = [0.1f, 0.2f, 0.3f], Key = 1 }], definition);
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Ml.Transforms.VaeEncode(Small(o => o.ConditionColumnName = "Key")).Fit(data));
        StringAssert.Contains(e.Message, "'Key'");
        StringAssert.Contains(e.Message, "200,000");
        StringAssert.Contains(e.Message, "100,000");
        // A vector condition has the same limit, stated with the column's name (not the network's ConditionDimension).
        var vectorDefinition = SchemaDefinition.Create(typeof(VectorConditionRow));
        vectorDefinition[nameof(VectorConditionRow.Condition)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 100_001);
        var vector = Ml.Data.LoadFromEnumerable([new VectorConditionRow { Features = [0.1f, 0.2f, 0.3f], Condition = new float[100_001] }], vectorDefinition);
        var wide = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Ml.Transforms.VaeEncode(Small(o => o.ConditionColumnName = "Condition")).Fit(vector));
        StringAssert.Contains(wide.Message, "'Condition'");
        StringAssert.Contains(wide.Message, "100,001");
        StringAssert.Contains(wide.Message, "at most 100,000");
    }

    [TestMethod]
    public void EveryEntryOfADisposedVaeTransformerSaysItIsDisposed()
    {
        var data = Data();
        var model = Ml.Transforms.VaeEncode(Small()).Fit(data);
        var view = model.Transform(data);
        var engine = Ml.Model.CreatePredictionEngine<Row, LatentRow>(model);
        var mapper = model.GetRowToRowMapper(data.Schema);
        var cursor = view.GetRowCursor(view.Schema);
        model.Dispose();
        float[] x = [0.1f, 0.2f, 0.3f];
        var entries = new (string Name, Action Call)[]
        {
            ("view", () => view.Preview()),
            ("cursor made before", () => cursor.MoveNext()),
            ("PredictionEngine", () => engine.Predict(new Row { Features = x })),
            ("mapper made before", () =>
            {
                using var input = data.GetRowCursor(data.Schema);
                input.MoveNext();
                using var row = mapper.GetRow(input, mapper.OutputSchema);
                var latent = default(VBuffer<float>);
                row.GetGetter<VBuffer<float>>(mapper.OutputSchema["LatentMean"])(ref latent);
            }),
            ("Transform", () => model.Transform(data)),
            ("GetOutputSchema", () => model.GetOutputSchema(data.Schema)),
            ("GetRowToRowMapper", () => model.GetRowToRowMapper(data.Schema)),
            ("Encode", () => model.Encode(x)),
            ("Decode", () => model.Decode([0f, 0f])),
            ("Reconstruct", () => model.Reconstruct(x)),
            ("Sample", () => model.Sample(2, seed: 1)),
            ("Interpolate", () => model.Interpolate(x, x, 3)),
            ("Traverse", () => model.Traverse(x, 0, [0.0, 1.0])),
            ("Evaluate", () => model.Evaluate(data)),
            ("MeasureAmortizationGap", () => model.MeasureAmortizationGap(data, steps: 1)),
            ("Save", () => Ml.Model.Save(model, data.Schema, new MemoryStream())),
        };
        foreach (var (name, call) in entries)
        {
            var e = Assert.ThrowsExactly<ObjectDisposedException>(call, name);
            StringAssert.Contains(e.ObjectName, nameof(VaeTransformer), name);
        }
        cursor.Dispose();
    }

    [TestMethod]
    public void ViewsOfADisposedAutoencoderSayItIsDisposed()
    {
        var data = Data();
        var model = Ml.Transforms.AutoencoderEncode(new AutoencoderOptions { LatentDimension = 2, HiddenDimensions = [4], Epochs = 1 }).Fit(data);
        var view = model.Transform(data);
        var engine = Ml.Model.CreatePredictionEngine<Row, CodeRow>(model);
        model.Dispose();
        var e = Assert.ThrowsExactly<ObjectDisposedException>(() => view.Preview());
        StringAssert.Contains(e.ObjectName, nameof(AutoencoderTransformer));
        Assert.ThrowsExactly<ObjectDisposedException>(() => engine.Predict(new Row { Features = [0.1f, 0.2f, 0.3f] }));
    }

    private sealed class LatentRow
    {
        public float[] LatentMean { get; set; } = [];
    }

    private sealed class CodeRow
    {
        public float[] Latent { get; set; } = [];
    }

    /// <summary>A few images of one channel in a column whose vector carries the dimensions [C, H, W], as ExtractPixels writes.</summary>
    internal static IDataView Images(int channels, int height, int width)
    {
        var random = new Random(5);
        int size = channels * height * width;
        var rows = Enumerable.Range(0, 6).Select(_ => new ImageRow { Pixels = Enumerable.Range(0, size).Select(_ => (float)random.NextDouble()).ToArray() }).ToArray();
        var definition = SchemaDefinition.Create(typeof(ImageRow));
        definition[nameof(ImageRow.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, channels, height, width);
        return Ml.Data.LoadFromEnumerable(rows, definition);
    }
}
