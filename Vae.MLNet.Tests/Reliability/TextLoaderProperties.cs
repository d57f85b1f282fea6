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
            string path = Path.Combine(Path.GetTempPath(), $"vae-typed-fuzz-{Guid.NewGuid():N}.csv");
            File.WriteAllBytes(path, x.content);
            try
            {
                var view = ml.Data.LoadFromTextFile<TypedRow>(path, x.separator, x.header, x.quoting);
                tally.Add($"loaded {ml.Data.CreateEnumerable<TypedRow>(view, reuseRowObject: false).Count() switch { 0 => "no rows", _ => "rows" }}");
            }
            catch (Exception e) when (e is FormatException or InvalidDataException && e.Message.Contains(path, StringComparison.Ordinal) && e.Message.Contains("line ", StringComparison.Ordinal))
            {
                tally.Add(Tally.Gist(e));
            }
            catch (Exception e)
            {
                string saved = Outcomes.SaveFailure("typed", ".csv", x.content);
                Assert.Fail($"separator {(int)x.separator}, header {x.header}, quoting {x.quoting}: {Outcomes.Describe(e)} Input saved to {saved}.");
            }
            finally
            {
                File.Delete(path);
            }
        }, tests: 500, seed: 22);
        Console.WriteLine(tally);
    }
}
