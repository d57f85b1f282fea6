namespace OnnxScoring;

/// <summary>
/// The scorer's results file: Int32 count, then per output the method and output names (BinaryWriter strings), Int32
/// rows, Int32 width and rows × width Singles, little-endian. Small enough that a caller in another process reads it back.
/// </summary>
public static class ScoreFile
{
    /// <summary>Writes <paramref name="results"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, IReadOnlyList<ScoredOutput> results)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(results.Count);
        foreach (var r in results)
        {
            writer.Write(r.Method);
            writer.Write(r.Output);
            writer.Write(r.Rows);
            writer.Write(r.Width);
            foreach (float v in r.Values) writer.Write(v);
        }
    }

    /// <summary>Reads a file <see cref="Write"/> wrote.</summary>
    public static IReadOnlyList<ScoredOutput> Read(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        int count = reader.ReadInt32();
        var results = new List<ScoredOutput>(count);
        for (int i = 0; i < count; i++)
        {
            string method = reader.ReadString(), output = reader.ReadString();
            int rows = reader.ReadInt32(), width = reader.ReadInt32();
            var values = new float[checked(rows * width)];
            for (int j = 0; j < values.Length; j++) values[j] = reader.ReadSingle();
            results.Add(new ScoredOutput(method, output, rows, width, values));
        }
        return results;
    }
}
