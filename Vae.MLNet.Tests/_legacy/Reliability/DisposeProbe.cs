using Vae.MLNet.Data;

namespace Vae.MLNet.Tests.Reliability;

/// <summary>A loadable transformer that counts its disposals, to see what a failed load frees.</summary>
internal sealed class DisposeProbe : ITransformer, IDisposable
{
    public const string Kind = "ReliabilityDisposeProbe";
    private static int _disposed;

    public static int Disposed => Volatile.Read(ref _disposed);

    /// <summary>Registers the kind (again is a no-op).</summary>
    public static void Register() => ModelLoadRegistry.Register(Kind, Load);

    public bool IsRowToRowMapper => false;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => inputSchema;

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => throw new NotSupportedException();

    public IDataView Transform(IDataView input) => input;

    public void Save(ModelSaveContext ctx) => ctx.SetKind(Kind);

    public void Dispose() => Interlocked.Increment(ref _disposed);

    private static ICanSaveModel Load(ModelLoadContext ctx) => new DisposeProbe();
}
