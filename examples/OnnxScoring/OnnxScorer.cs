using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace OnnxScoring;

/// <summary>One output of the model for every row, as Single, row-major (keys, integers and booleans converted exactly).</summary>
/// <param name="Method">"OnnxRuntime" or "ApplyOnnxModel".</param>
/// <param name="Output">The ONNX output's name (ML.NET's converter names a column's output "Column.output").</param>
/// <param name="Rows">Rows scored.</param>
/// <param name="Width">Values per row.</param>
/// <param name="Values">Rows × Width values.</param>
public sealed record ScoredOutput(string Method, string Output, int Rows, int Width, float[] Values);

/// <summary>
/// Scores rows with an ONNX model two ways, neither of which knows where the model came from: ONNX Runtime's
/// InferenceSession on all rows at once, and ML.NET's <c>ApplyOnnxModel</c> transform, row by row. Inputs are read from
/// the data view's columns of the same names as the model's inputs (Single vectors and text).
/// </summary>
public static class OnnxScorer
{
    /// <summary>Both scorings of the rows in an ML.NET binary data file (<c>mlContext.Data.SaveAsBinary</c>).</summary>
    public static IReadOnlyList<ScoredOutput> ScoreBothWays(string modelPath, string inputPath)
    {
        var ml = new MLContext();
        var input = ml.Data.LoadFromBinary(inputPath);
        return [.. WithOnnxRuntime(modelPath, input), .. WithApplyOnnxModel(ml, modelPath, input)];
    }

    /// <summary>ONNX Runtime directly: one run over every row (the models ML.NET writes leave the row count free).</summary>
    public static IEnumerable<ScoredOutput> WithOnnxRuntime(string modelPath, IDataView input)
    {
        using var session = new InferenceSession(modelPath);
        var feeds = session.InputMetadata.Select(m => Feed(m.Key, m.Value, input)).ToList();
        using var results = session.Run(feeds);
        var scored = new List<ScoredOutput>();
        foreach (var result in results)
        {
            if (IsConverterBookkeeping(result.Name)) continue;
            var (dimensions, values) = result.Value switch
            {
                Tensor<float> t => (t.Dimensions.ToArray(), t.ToArray()),
                Tensor<uint> t => (t.Dimensions.ToArray(), t.Select(v => (float)v).ToArray()),
                Tensor<long> t => (t.Dimensions.ToArray(), t.Select(v => (float)v).ToArray()),
                Tensor<bool> t => (t.Dimensions.ToArray(), t.Select(v => v ? 1f : 0f).ToArray()),
                _ => (Array.Empty<int>(), Array.Empty<float>()),
            };
            if (dimensions.Length == 0) continue;  // text outputs: nothing to compare as numbers
            int rows = dimensions[0];
            scored.Add(new ScoredOutput("OnnxRuntime", result.Name, rows, rows == 0 ? 0 : values.Length / rows, values));
        }
        return scored;
    }

    /// <summary>ML.NET's ApplyOnnxModel (Microsoft.ML.OnnxTransformer), every numeric output of the model as a column.</summary>
    public static IEnumerable<ScoredOutput> WithApplyOnnxModel(MLContext ml, string modelPath, IDataView input)
    {
        string[] inputs, outputs;
        using (var session = new InferenceSession(modelPath))
        {
            inputs = [.. session.InputMetadata.Keys];
            outputs = [.. session.OutputMetadata.Where(m => !IsConverterBookkeeping(m.Key) && m.Value.ElementType != typeof(string)).Select(m => m.Key)];
        }
        var scored = ml.Transforms.ApplyOnnxModel(outputs, inputs, modelPath).Fit(input).Transform(input);
        return outputs.Select(name => Read("ApplyOnnxModel", scored, name)).ToArray();
    }

    // The converter adds outputs such as "mlnet.Score.unusedOutput" that stand for nothing in the data.
    private static bool IsConverterBookkeeping(string name) => name.StartsWith("mlnet.", StringComparison.Ordinal);

    private static NamedOnnxValue Feed(string name, NodeMetadata metadata, IDataView input)
    {
        var column = input.Schema.GetColumnOrNull(name)
            ?? throw new ArgumentException($"The model reads an input '{name}' that the data has no column for.");
        int width = column.Type is VectorDataViewType vector ? vector.Size : 1;
        if (metadata.ElementType == typeof(float))
        {
            var values = new List<float>();
            using var cursor = input.GetRowCursor([column]);
            if (column.Type is VectorDataViewType)
            {
                var getter = cursor.GetGetter<VBuffer<float>>(column);
                var row = default(VBuffer<float>);
                while (cursor.MoveNext()) { getter(ref row); values.AddRange(row.DenseValues()); }
            }
            else
            {
                var getter = cursor.GetGetter<float>(column);
                float value = 0;
                while (cursor.MoveNext()) { getter(ref value); values.Add(value); }
            }
            return NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(values.ToArray(), [values.Count / width, width]));
        }
        if (metadata.ElementType == typeof(uint) && column.Type is KeyDataViewType { RawType: var raw } && raw == typeof(uint))
        {
            // A key column (a class index the model one-hot encodes) goes in as its raw UInt32 values.
            var values = new List<uint>();
            using var cursor = input.GetRowCursor([column]);
            var getter = cursor.GetGetter<uint>(column);
            uint value = 0;
            while (cursor.MoveNext()) { getter(ref value); values.Add(value); }
            return NamedOnnxValue.CreateFromTensor(name, new DenseTensor<uint>(values.ToArray(), [values.Count, 1]));
        }
        if (metadata.ElementType == typeof(string) && column.Type is TextDataViewType)
        {
            var values = new List<string>();
            using var cursor = input.GetRowCursor([column]);
            var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
            var value = default(ReadOnlyMemory<char>);
            while (cursor.MoveNext()) { getter(ref value); values.Add(value.ToString()); }
            return NamedOnnxValue.CreateFromTensor(name, new DenseTensor<string>(values.ToArray(), [values.Count, 1]));
        }
        throw new NotSupportedException($"Input '{name}' is {metadata.ElementType.Name} in the model and {column.Type} in the data; this scorer feeds Single, keys (UInt32) and text.");
    }

    private static ScoredOutput Read(string method, IDataView data, string name)
    {
        // ApplyOnnxModel names the column of an output "X.output" (as ML.NET's converter names it) "X".
        const string suffix = ".output";
        var column = data.Schema.GetColumnOrNull(name)
            ?? (name.EndsWith(suffix, StringComparison.Ordinal) ? data.Schema.GetColumnOrNull(name[..^suffix.Length]) : null)
            ?? throw new InvalidOperationException($"ApplyOnnxModel gave no column '{name}'; it gave {string.Join(", ", data.Schema.Select(c => $"{c.Name} ({c.Type})"))}.");
        var item = column.Type is VectorDataViewType v ? v.ItemType : column.Type;
        var values = new List<float>();
        int rows = 0;
        using var cursor = data.GetRowCursor([column]);
        Func<IEnumerable<float>> next = item.RawType switch
        {
            var t when t == typeof(float) => VectorOf<float>(cursor, column, x => x),
            var t when t == typeof(uint) => VectorOf<uint>(cursor, column, x => x),
            var t when t == typeof(long) => VectorOf<long>(cursor, column, x => x),
            var t when t == typeof(bool) => VectorOf<bool>(cursor, column, x => x ? 1 : 0),
            _ => throw new NotSupportedException($"Output '{name}' is {column.Type}; this scorer reads Single, UInt32, Int64 and Boolean."),
        };
        while (cursor.MoveNext()) { values.AddRange(next()); rows++; }
        return new ScoredOutput(method, name, rows, rows == 0 ? 0 : values.Count / rows, values.ToArray());
    }

    private static Func<IEnumerable<float>> VectorOf<T>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<T, float> convert)
    {
        if (column.Type is VectorDataViewType)
        {
            var getter = cursor.GetGetter<VBuffer<T>>(column);
            var buffer = default(VBuffer<T>);
            return () => { getter(ref buffer); return buffer.DenseValues().Select(convert).ToArray(); };
        }
        var scalar = cursor.GetGetter<T>(column);
        T value = default!;
        return () => { scalar(ref value); return [convert(value)]; };
    }
}
