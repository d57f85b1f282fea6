using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet.Mapping;

/// <summary>
/// The VAE as ML.NET's <see cref="IRowToRowMapper"/>, which PredictionEngine uses: each row is a batch of one,
/// mapped when an added column is first read at a new position, computing only the added columns whose getters were
/// made (PredictionEngine activates every column but makes getters only for its output type's, and the decoder
/// should not run for a caller who reads only LatentMean). Not thread-safe per row, like ML.NET's rows;
/// rows made by separate <see cref="GetRow"/> calls may be used on separate threads.
/// </summary>
internal sealed class BatchRowToRowMapper : IRowToRowMapper
{
    private readonly IBatchMapper _mapper;

    public BatchRowToRowMapper(IBatchMapper mapper) => _mapper = mapper;

    public DataViewSchema InputSchema => _mapper.InputSchema;

    public DataViewSchema OutputSchema => _mapper.OutputSchema;

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) =>
        ActiveColumns.InputsNeeded(_mapper, ActiveColumns.Of(OutputSchema, dependingColumns));

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        ArgumentNullException.ThrowIfNull(input);
        _mapper.Lifetime.ThrowIfEnded();
        if (!ReferenceEquals(input.Schema, InputSchema) && input.Schema.Count != InputSchema.Count)
            throw new ArgumentException($"The input row has {input.Schema.Count} columns; this mapper was made for a schema of {InputSchema.Count}.", nameof(input));
        return new MappedRow(_mapper, input, ActiveColumns.Of(OutputSchema, activeColumns));
    }

    private sealed class MappedRow : DataViewRow
    {
        private readonly IBatchMapper _mapper;
        private readonly DataViewRow _input;
        private readonly bool[] _active;
        private readonly bool[] _requested;
        private readonly BatchInput? _batch;
        private BatchOutputs? _outputs;
        private long _mappedPosition = long.MinValue;

        public MappedRow(IBatchMapper mapper, DataViewRow input, bool[] active)
        {
            _mapper = mapper;
            _input = input;
            _active = active;
            _requested = new bool[mapper.AddedCount];
            if (ActiveColumns.Added(mapper, active).Contains(true)) _batch = new BatchInput(mapper, input, 1);
        }

        public override DataViewSchema Schema => _mapper.OutputSchema;

        public override long Position => _input.Position;

        public override long Batch => _input.Batch;

        public override bool IsColumnActive(DataViewSchema.Column column)
        {
            ActiveColumns.Check(Schema, column);
            return _active[column.Index];
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            column = ActiveColumns.Check(Schema, column);
            if (!_active[column.Index]) throw new InvalidOperationException($"Column '{column.Name}' is not active in this row.");
            ActiveColumns.CheckType<TValue>(column);
            int inputs = _mapper.InputSchema.Count;
            if (column.Index < inputs) return _input.GetGetter<TValue>(_input.Schema[column.Index]);
            int output = column.Index - inputs;
            if (!_requested[output])
            {
                // A newly requested column: the next read maps the row again, with it.
                _requested[output] = true;
                _outputs = null;
                _mappedPosition = long.MinValue;
            }
            string name = column.Name;
            if (column.Type is not VectorDataViewType)
                return (ValueGetter<TValue>)(Delegate)(ValueGetter<float>)((ref float value) => value = Mapped().Read(output, 0, name)[0]);
            return (ValueGetter<TValue>)(Delegate)(ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => BatchCursor.SetVector(Mapped().Read(output, 0, name), ref value));
        }

        private BatchOutputs Mapped()
        {
            long position = _input.Position;
            if (_outputs is null || position != _mappedPosition)
            {
                _outputs ??= _mapper.CreateOutputs(_requested, 1);
                _batch!.Count = 0;
                _batch.Add();
                _mapper.Map(_batch, _outputs);
                NonFiniteOutputs.Check(_mapper, _batch, _outputs);
                _mappedPosition = position;
            }
            return _outputs;
        }
    }
}
