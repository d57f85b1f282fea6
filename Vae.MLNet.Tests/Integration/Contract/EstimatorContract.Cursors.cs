using Microsoft.ML;
using Microsoft.ML.Data;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Integration.Contract;

// The cursor checks: any subset of columns, columns of an equal schema, parallel cursor sets, ids and positions, early disposal, Preview.
internal sealed partial class EstimatorContract
{
    /// <summary>All columns, the even ones, the odd ones, one cursor per column moved together, and none: the same rows and values.</summary>
    private void CursorsOverColumnSubsetsAgree()
    {
        var schema = _view.Schema;
        foreach (var (subset, which) in new[] { (schema.Where(c => c.Index % 2 == 0), "even columns"), (schema.Where(c => c.Index % 2 == 1), "odd columns") })
        {
            var columns = subset.ToArray();
            using var cursor = _view.GetRowCursor(columns);
            foreach (var column in schema)
                Assert.AreEqual(columns.Contains(column), cursor.IsColumnActive(column), $"{which}: IsColumnActive('{column.Name}', index {column.Index})");
            AssertSameRows(Reference, ColumnValues.ReadAll(cursor, columns), columns.Select(c => c.Index).ToArray(), _case.Tolerance, which);
        }

        // As ML.NET's CheckSameValues(cursor, view): a cursor per column, all moved in step.
        var cursors = schema.Select(c => _view.GetRowCursor([c])).ToArray();
        try
        {
            var readers = schema.Select(c => ColumnValues.Reader(cursors[c.Index], c)).ToArray();
            for (int row = 0; ; row++)
            {
                var moved = cursors.Select(c => c.MoveNext()).ToArray();
                Assert.IsTrue(moved.All(m => m == moved[0]), $"the one-column cursors end together (row {row})");
                if (!moved[0])
                {
                    Assert.HasCount(row, Reference, "one-column cursors: rows");
                    break;
                }
                foreach (var column in schema)
                    AssertSameValue(Reference[row].Values[column.Index], readers[column.Index](), _case.Tolerance, $"a cursor of column '{column.Name}' alone, row {row}");
            }
        }
        finally
        {
            foreach (var cursor in cursors) cursor.Dispose();
        }

        using var none = _view.GetRowCursor([]);
        long count = 0;
        while (none.MoveNext()) count++;
        Assert.AreEqual(Reference.Count, count, "a cursor over no columns: rows");
    }

    /// <summary>
    /// A column object of an equal schema (here GetOutputSchema's, not the view's) opens a cursor and makes a getter:
    /// ML.NET's transforms match columns by index.
    /// </summary>
    private void ColumnFromAnEqualSchemaIsAccepted()
    {
        var equal = _transformer.GetOutputSchema(_data.Schema);
        Assert.AreNotSame(_view.Schema, equal, "the schemas are two objects");
        var column = equal[_case.AddedColumn];
        using (var cursor = _view.GetRowCursor([column]))
        {
            Assert.IsTrue(cursor.IsColumnActive(column), $"IsColumnActive('{column.Name}') of the equal schema's column");
            var values = ColumnValues.ReadAll(cursor, [column]);
            AssertSameRows(Reference, values, [column.Index], _case.Tolerance, $"'{column.Name}' of an equal schema");
        }
        using (var cursor = _view.GetRowCursor(equal))
            AssertSameRows(Reference, ColumnValues.ReadAll(cursor, equal.ToArray()), equal.Select(c => c.Index).ToArray(), _case.Tolerance, "every column of an equal schema");
    }

    /// <summary>
    /// GetRowCursorSet with n = 2 and 3 over a cached input (which splits its rows), each cursor read on its own
    /// thread: together the rows of one cursor, each once, with the same values; each cursor's positions count up from 0.
    /// </summary>
    private void ParallelCursorSetsGiveTheSameRows()
    {
        var view = _transformer.Transform(_ml.Data.Cache(_data));
        var columns = view.Schema.ToArray();
        var single = ColumnValues.ReadAll(view, columns).ToDictionary(r => r.Id);
        var all = Enumerable.Range(0, columns.Length).ToArray();
        foreach (int n in new[] { 2, 3 })
        {
            var cursors = view.GetRowCursorSet(columns, n);
            List<RowValues>[] parts;
            try
            {
                foreach (var cursor in cursors) AssertSameSchema(view.Schema, cursor.Schema, $"n = {n}: a cursor's schema");
                parts = Task.WhenAll(cursors.Select(c => Task.Run(() => ColumnValues.ReadAll(c, columns)))).GetAwaiter().GetResult();
            }
            finally
            {
                foreach (var cursor in cursors) cursor.Dispose();
            }
            Notes.Add($"n = {n}: {cursors.Length} cursors with {string.Join(" + ", parts.Select(p => p.Count))} rows");
            foreach (var part in parts)
                for (int i = 0; i < part.Count; i++) Assert.AreEqual(i, part[i].Position, $"n = {n}: position of a cursor's row {i}");
            var rows = parts.SelectMany(p => p).ToList();
            Assert.HasCount(single.Count, rows, $"n = {n}: rows of {cursors.Length} cursors together");
            Assert.AreEqual(single.Count, rows.Select(r => r.Id).Distinct().Count(), $"n = {n}: each row once");
            foreach (var row in rows)
            {
                Assert.IsTrue(single.TryGetValue(row.Id, out var expected), $"n = {n}: row id {row.Id} is a row of one cursor");
                for (int c = 0; c < columns.Length; c++)
                    AssertSameValue(expected!.Values[c], row.Values[c], _case.Tolerance, $"n = {n}: column '{columns[c].Name}' of row id {row.Id}");
            }
        }
    }

    /// <summary>
    /// A cursor given a Random over a view that can shuffle (a cached input) gives each row once, with the same values;
    /// over one that cannot, the same rows in the same order (ML.NET's TestCore asks that too).
    /// </summary>
    private void ShuffledCursorsGiveTheSameRows()
    {
        foreach (var (view, which) in new[] { (_transformer.Transform(_ml.Data.Cache(_data)), "over a cached input"), (_view, "over an enumerable") })
        {
            var columns = view.Schema.ToArray();
            var all = columns.Select(c => c.Index).ToArray();
            var ordered = ColumnValues.ReadAll(view, columns);
            List<RowValues> shuffled;
            using (var cursor = view.GetRowCursor(columns, new Random(7)))
                shuffled = ColumnValues.ReadAll(cursor, columns);
            Notes.Add($"{which}: CanShuffle {view.CanShuffle}");
            if (!view.CanShuffle)
            {
                AssertSameRows(ordered, shuffled, all, 0, $"{which}, a cursor given a Random");
                continue;
            }
            Assert.HasCount(ordered.Count, shuffled, $"{which}: rows of a shuffled cursor");
            var byId = ordered.ToDictionary(r => r.Id);
            for (int r = 0; r < shuffled.Count; r++)
            {
                Assert.AreEqual(r, shuffled[r].Position, $"{which}: position of a shuffled cursor's row {r}");
                Assert.IsTrue(byId.TryGetValue(shuffled[r].Id, out var expected), $"{which}: row id {shuffled[r].Id} is a row of the unshuffled cursor");
                for (int c = 0; c < columns.Length; c++)
                    AssertSameValue(expected!.Values[c], shuffled[r].Values[c], _case.Tolerance, $"{which}: column '{columns[c].Name}' of row id {shuffled[r].Id} when shuffled");
            }
            Assert.AreEqual(ordered.Count, shuffled.Select(r => r.Id).Distinct().Count(), $"{which}: each row once when shuffled");
        }
    }

    /// <summary>
    /// An ML.NET transform after this one (CopyColumns of an added column, over a cached input that can split its
    /// rows among cursors) gives the same rows in the same order, and the copy equals its source.
    /// </summary>
    private void DownstreamTransformKeepsTheRows()
    {
        var view = _transformer.Transform(_ml.Data.Cache(_data));
        var downstream = _ml.Transforms.CopyColumns("Copied", _case.AddedColumn).Fit(view).Transform(view);
        var expected = ColumnValues.ReadAll(view, view.Schema.ToArray());
        var columns = downstream.Schema.ToArray();
        var rows = ColumnValues.ReadAll(downstream, columns);
        AssertSameRows(expected, rows, view.Schema.Select(c => c.Index).ToArray(), _case.Tolerance, "after CopyColumns");
        int source = view.Schema[_case.AddedColumn].Index, copy = downstream.Schema["Copied"].Index;
        for (int r = 0; r < rows.Count; r++)
            AssertSameValue(expected[r].Values[source], rows[r].Values[copy], 0, $"'Copied', row {r}");
    }

    /// <summary>
    /// Positions count 0, 1, …; ids are the input's, row for row (a row-to-row transform keeps them); the row count is
    /// the input's; a getter of an inactive column or of the wrong type is refused with InvalidOperationException.
    /// </summary>
    private void RowIdsAndPositionsAreConsistent()
    {
        var input = ColumnValues.ReadAll(_data, []);
        Assert.HasCount(input.Count, Reference, "rows");
        Assert.AreEqual(_data.GetRowCount(), _view.GetRowCount(), "GetRowCount");
        for (int r = 0; r < input.Count; r++)
        {
            Assert.AreEqual(r, Reference[r].Position, $"position of row {r}");
            Assert.AreEqual(input[r].Id, Reference[r].Id, $"id of row {r}");
        }
        var added = _view.Schema[_case.AddedColumn];
        var other = _view.Schema[0];
        using var cursor = _view.GetRowCursor([other]);
        Assert.ThrowsExactly<InvalidOperationException>(() => cursor.GetGetter<VBuffer<float>>(added), "a getter of an inactive column");
        using var active = _view.GetRowCursor([added]);
        Assert.ThrowsExactly<InvalidOperationException>(() => active.GetGetter<double>(added), "a getter of the wrong type");
    }

    /// <summary>Cursors disposed before, within and after their first rows (twice, too), and a cursor set disposed early; the view still reads the same.</summary>
    private void CursorsCanBeDisposedEarly()
    {
        var columns = _view.Schema.ToArray();
        foreach (int rows in new[] { 0, 1, 3 })
        {
            var cursor = _view.GetRowCursor(columns);
            var readers = columns.Select(c => ColumnValues.Reader(cursor, c)).ToArray();
            for (int r = 0; r < rows && cursor.MoveNext(); r++)
                foreach (var read in readers) read();
            cursor.Dispose();
            cursor.Dispose();
        }
        var cached = _transformer.Transform(_ml.Data.Cache(_data));
        var set = cached.GetRowCursorSet(cached.Schema, 2);
        foreach (var cursor in set) cursor.MoveNext();
        foreach (var cursor in set) cursor.Dispose();
        var again = ColumnValues.ReadAll(_view, columns);
        AssertSameRows(Reference, again, columns.Select(c => c.Index).ToArray(), 0, "a full read after early disposals");
    }

    /// <summary>Preview shows the view's schema and the values its cursors give.</summary>
    private void PreviewShowsTheSameValues()
    {
        var preview = _view.Preview(maxRows: CheckedRows);
        AssertSameSchema(_view.Schema, preview.Schema, "Preview's schema");
        Assert.HasCount(Reference.Count, preview.RowView, "Preview's rows");
        foreach (var column in preview.ColumnView)
        {
            Assert.HasCount(Reference.Count, column.Values, $"Preview's values of '{column.Column.Name}'");
            for (int r = 0; r < Reference.Count; r++)
                AssertSameValue(Reference[r].Values[column.Column.Index], ColumnValues.Copy(column.Values[r]), 0, $"Preview's '{column.Column.Name}', row {r}");
        }
    }
}
