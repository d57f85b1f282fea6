using FsCheck.Fluent;
using Vae.MLNet.Data;

namespace Vae.MLNet.Tests.Reliability;

/// <summary>
/// FsCheck properties over random delimited text (quotes, separators, missing fields, huge numbers, NaN and infinity
/// spellings, bytes that are not UTF-8, very long lines, headers, sparse syntax): the text loads, or it is rejected
/// with a FormatException or InvalidDataException naming the file, line and field.
/// </summary>
[TestClass]
public sealed class TextLoaderProperties
{
    /// <summary>A typed row, as <c>LoadFromTextFile&lt;T&gt;</c> users write them.</summary>
    public sealed class TypedRow
    {
        /// <summary>Field 0.</summary>
        [LoadColumn(0)]
        public float A { get; set; }

        /// <summary>Fields 1-3.</summary>
        [LoadColumn(1, 3), VectorType(3)]
        public float[] V { get; set; } = [];

        /// <summary>Field 4.</summary>
        [LoadColumn(4)]
        public string S { get; set; } = "";

        /// <summary>Field 5.</summary>
        [LoadColumn(5)]
        public bool B { get; set; }

        /// <summary>Field 6, a key of 10 values.</summary>
        [LoadColumn(6), KeyType(10)]
        public uint K { get; set; }

        /// <summary>Field 7.</summary>
        [LoadColumn(7)]
        public long L { get; set; }
    }

    [TestMethod]
    public void RandomTextLoadsOrIsRejectedNamingFileLineAndField()
    {
        var tally = new Tally();
        var gen = TextGen.Case.SelectMany(c => TextGen.Content(c.Separator).Select(content => (c, content)));
        Fuzz.Check(gen, x => TextLoadCheck.Expect(x.c, x.content, tally), tests: 1500, seed: 21);
        Console.WriteLine(tally);
        Assert.IsTrue(tally["loaded"] > tally.Total / 10, "the generator also makes loadable text");
    }

    [TestMethod]
    public void RandomTextReadIntoTypedRowsLoadsOrIsRejectedNamingFileLineAndField()
    {
        var ml = new MLContext();
        var tally = new Tally();
        var gen = from separator in Gen.Elements(',', '\t', ';')
                  from header in Gen.Elements(true, false)
                  from quoting in Gen.Elements(true, false)
                  from content in TextGen.Content(separator)
                  select (separator, header, quoting, content);
        Fuzz.Check(gen, x =>
        {
            // The same columns as TypedRow, so a failing input can be replayed from the corpus like the others.
            var settings = new TextCase(x.separator, x.header, x.quoting, TrimWhitespace: false, AllowSparse: false,
            [
                new("A", DataKind.Single, 0, 0), new("V", DataKind.Single, 1, 3), new("S", DataKind.String, 4, 4),
                new("B", DataKind.Boolean, 5, 5), new("K", DataKind.UInt32, 6, 6, KeyCount: 10), new("L", DataKind.Int64, 7, 7),
            ]);
            TextLoadCheck.Expect(x.content, path =>
                ml.Data.CreateEnumerable<TypedRow>(ml.Data.LoadFromTextFile<TypedRow>(path, x.separator, x.header, x.quoting), reuseRowObject: false).Count(),
                settings, tally);
        }, tests: 500, seed: 22);
        Console.WriteLine(tally);
    }
}
