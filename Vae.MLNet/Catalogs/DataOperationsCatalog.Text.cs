using Vae.MLNet.Data;

namespace Vae.MLNet;

public sealed partial class DataOperationsCatalog
{
    /// <summary>
    /// Loads a delimited text file lazily; columns come from <typeparamref name="TInput"/>'s members with
    /// <see cref="LoadColumnAttribute"/> (types from the member types and <see cref="VectorTypeAttribute"/>,
    /// <see cref="KeyTypeAttribute"/>, <see cref="ColumnNameAttribute"/>). Empty float fields are NaN. A malformed
    /// value raises a <see cref="FormatException"/> naming the file, line, field and column when it is read.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="separatorChar">The field separator.</param>
    /// <param name="hasHeader">Whether the first line holds column names (skipped; used as slot names of vectors).</param>
    /// <param name="allowQuoting">Whether fields may be enclosed in double quotes.</param>
    /// <param name="trimWhitespace">Whether whitespace around fields is removed.</param>
    /// <param name="allowSparse">Whether lines may end in sparse <c>length index:value ...</c> form.</param>
    public IDataView LoadFromTextFile<TInput>(string path, char separatorChar = '\t', bool hasHeader = false,
        bool allowQuoting = false, bool trimWhitespace = false, bool allowSparse = false) =>
        CreateTextLoader<TInput>(separatorChar, hasHeader, allowQuoting, trimWhitespace, allowSparse).Load(path);

    /// <summary>Loads a delimited text file lazily with explicit <paramref name="columns"/>.</summary>
    public IDataView LoadFromTextFile(string path, TextLoader.Column[] columns, char separatorChar = '\t', bool hasHeader = false,
        bool allowQuoting = false, bool trimWhitespace = false, bool allowSparse = false) =>
        CreateTextLoader(new TextLoader.Options
        {
            Columns = columns,
            Separators = [separatorChar],
            HasHeader = hasHeader,
            AllowQuoting = allowQuoting,
            TrimWhitespace = trimWhitespace,
            AllowSparse = allowSparse,
        }).Load(path);

    /// <summary>A text loader with <paramref name="options"/>.</summary>
    public TextLoader CreateTextLoader(TextLoader.Options options) => new(options);

    /// <summary>A text loader whose columns come from <typeparamref name="TInput"/>'s <see cref="LoadColumnAttribute"/>s.</summary>
    public TextLoader CreateTextLoader<TInput>(char separatorChar = '\t', bool hasHeader = false,
        bool allowQuoting = false, bool trimWhitespace = false, bool allowSparse = false) =>
        new(new TextLoader.Options
        {
            Separators = [separatorChar],
            HasHeader = hasHeader,
            AllowQuoting = allowQuoting,
            TrimWhitespace = trimWhitespace,
            AllowSparse = allowSparse,
        }, ColumnSpec.FromType<TInput>());
}
