using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet.Tests.Support.Onnx;

/// <summary>Reads a transformed view's columns as Single rows and compares them with the ONNX scorer's outputs.</summary>
internal static class OnnxComparison
{
    /// <summary>Column <paramref name="name"/> of every row, flattened (Single and its vectors; keys and booleans as Single).</summary>
    public static float[] Column(IDataView data, string name)
    {
        var column = data.Schema[name];
        var values = new List<float>();
        using var cursor = data.GetRowCursor([column]);
        switch (column.Type)
        {
            case VectorDataViewType { ItemType: NumberDataViewType n } when n == NumberDataViewType.Single:
            {
                var getter = cursor.GetGetter<VBuffer<float>>(column);
                var buffer = default(VBuffer<float>);
                while (cursor.MoveNext()) { getter(ref buffer); values.AddRange(buffer.DenseValues()); }
                break;
            }
            case NumberDataViewType n when n == NumberDataViewType.Single:
            {
                var getter = cursor.GetGetter<float>(column);
                float value = 0;
                while (cursor.MoveNext()) { getter(ref value); values.Add(value); }
                break;
            }
            case KeyDataViewType:
            {
                var getter = cursor.GetGetter<uint>(column);
                uint key = 0;
                while (cursor.MoveNext()) { getter(ref key); values.Add(key); }
                break;
            }
            case BooleanDataViewType:
            {
                var getter = cursor.GetGetter<bool>(column);
                bool flag = false;
                while (cursor.MoveNext()) { getter(ref flag); values.Add(flag ? 1 : 0); }
                break;
            }
            default:
                throw new AssertFailedException($"Column '{name}' is {column.Type}; the comparison reads Single (and its vectors), keys and booleans.");
        }
        return values.ToArray();
    }

    /// <summary>The largest absolute difference between Transform's column and the scorer's output, after checking the shapes agree.</summary>
    public static double MaxDifference(IDataView expected, OnnxScoringProcess.Scored scored, string method, string column)
    {
        float[] want = Column(expected, column);
        var got = scored.Get(method, column);
        Assert.HasCount(want.Length, got.Values, $"{method} '{column}': {got.Rows} rows × {got.Width} values");
        // A column of one repeated value would agree with a graph that ignores its input.
        Assert.IsTrue(want.Any(v => v != want[0]), $"Transform's '{column}' holds one value only; the comparison would prove nothing.");
        double max = 0;
        for (int i = 0; i < want.Length; i++) max = Math.Max(max, Math.Abs(want[i] - got.Values[i]));
        return max;
    }

    /// <summary>How many rows' values differ (for labels, which must agree exactly).</summary>
    public static int Disagreements(IDataView expected, OnnxScoringProcess.Scored scored, string method, string column)
    {
        float[] want = Column(expected, column);
        var got = scored.Get(method, column);
        Assert.HasCount(want.Length, got.Values, $"{method} '{column}'");
        return want.Where((v, i) => v != got.Values[i]).Count();
    }
}
