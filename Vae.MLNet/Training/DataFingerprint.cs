using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Vae.MLNet.Columns;

namespace Vae.MLNet.Training;

/// <summary>
/// What a training checkpoint records of its data, so that resuming on other data is refused: the input and condition
/// columns (name and type), the SHA-256 of the first <see cref="HeadRows"/> rows, and, when the view knows its row
/// count, that count and the SHA-256 of about <see cref="StridedRows"/> rows at an even stride — all read once through
/// a cursor of the unshuffled view.
/// </summary>
/// <remarks>
/// The sample never makes a second pass over large data: the stride spans at most the first <see cref="ScanLimit"/>
/// rows, and a view that cannot tell its row count (a stream, a text file) gives only its first rows, since counting
/// them would be a whole pass. The same rows seen through a view of another kind (a stream, then a cache of it) agree:
/// what only one side could tell is not compared (<see cref="Agrees"/>).
/// </remarks>
/// <param name="Columns">The input and condition columns' names and types.</param>
/// <param name="Head">The SHA-256 of the first rows' values (and conditions), in the view's order.</param>
/// <param name="Rows">The row count, when the view knows it.</param>
/// <param name="Strided">The SHA-256 of the strided sample, when the view knows its row count.</param>
internal sealed record DataFingerprint(string Columns, string Head, long? Rows = null, string? Strided = null)
{
    internal const int HeadRows = 16, StridedRows = 256;
    internal const long ScanLimit = 1 << 16;

    /// <summary>Whether a checkpoint of data with fingerprint <paramref name="saved"/> may resume on this data.</summary>
    public bool Agrees(DataFingerprint saved) =>
        Columns == saved.Columns && Head == saved.Head
        && (Rows is null || saved.Rows is null || (Rows == saved.Rows && Strided == saved.Strided));

    public static DataFingerprint Of(IDataView data, DataViewSchema.Column column, ConditionColumn? condition)
    {
        long? count = data.GetRowCount();
        var conditionColumn = condition?.Find(data.Schema);
        string columns = $"{column.Name}: {column.Type}; condition {conditionColumn?.Name}: {conditionColumn?.Type} ({condition})";
        long scanned = count is long rows ? Math.Min(rows, ScanLimit) : HeadRows;
        long stride = Math.Max(1, scanned / StridedRows);
        using var head = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var strided = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var cursor = data.GetRowCursor(conditionColumn is { } c ? [column, c] : [column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        var readCondition = conditionColumn is { } active ? condition!.MakeReader(cursor, active) : null;
        var conditionValues = new float[condition?.Size ?? 0];
        var row = default(VBuffer<float>);
        var values = Array.Empty<float>();
        var position = new byte[sizeof(long)];
        while (cursor.Position + 1 < scanned && cursor.MoveNext())
        {
            bool inHead = cursor.Position < HeadRows, inStride = count is not null && cursor.Position % stride == 0;
            if (!inHead && !inStride) continue;
            getter(ref row);
            // Dense values, so a sparse and a dense copy of the same rows agree.
            if (values.Length != row.Length) values = new float[row.Length];
            row.CopyTo(values);
            readCondition?.Invoke(conditionValues);
            System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(position, cursor.Position);
            foreach (var (hash, included) in new[] { (head, inHead), (strided, inStride) })
            {
                if (!included) continue;
                hash.AppendData(position);
                hash.AppendData(MemoryMarshal.AsBytes(values.AsSpan()));
                hash.AppendData(MemoryMarshal.AsBytes(conditionValues.AsSpan()));
            }
        }
        return new DataFingerprint(columns, Convert.ToHexStringLower(head.GetHashAndReset()), count,
            count is null ? null : Convert.ToHexStringLower(strided.GetHashAndReset()));
    }
}
