using Vae.MLNet.Data;

namespace Vae.MLNet.Trainers;

/// <summary>Reads a row's feature column (a known-size vector of Single, or a Single) as a dense span.</summary>
internal sealed class FeatureReader
{
    private readonly ValueGetter<VBuffer<float>>? _vector;
    private readonly ValueGetter<float>? _scalar;
    private readonly float[] _dense;
    private VBuffer<float> _buffer;

    /// <summary>Reads <paramref name="column"/> of <paramref name="row"/>, which must be active and hold features.</summary>
    public FeatureReader(DataViewRow row, DataViewSchema.Column column)
    {
        _dense = new float[FeatureColumns.Size(column.Type)];
        if (column.Type is VectorDataViewType)
            _vector = row.GetGetter<VBuffer<float>>(column);
        else
            _scalar = row.GetGetter<float>(column);
    }

    /// <summary>The current row's features; valid until the next call. Dense vectors are returned without a copy.</summary>
    public ReadOnlySpan<float> Read()
    {
        if (_scalar is not null)
        {
            _scalar(ref _dense[0]);
            return _dense;
        }
        _vector!(ref _buffer);
        if (_buffer.Length != _dense.Length)
            throw new InvalidOperationException($"A feature vector has {_buffer.Length} values; its column's type says {_dense.Length}.");
        if (_buffer.IsDense)
            return _buffer.GetValues();
        _buffer.CopyTo(_dense);
        return _dense;
    }

    /// <summary>Whether every value is finite; rows with NaN or infinite features are skipped in training, as ML.NET does.</summary>
    public static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (float v in values)
        {
            if (!float.IsFinite(v))
                return false;
        }
        return true;
    }
}
