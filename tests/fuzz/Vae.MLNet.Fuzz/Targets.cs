namespace Vae.MLNet.Fuzz;

/// <summary>A fuzz target: seed inputs, and one run over an input that throws only for a bug.</summary>
internal interface ITarget
{
    IEnumerable<(string Name, byte[] Bytes)> Seeds();

    /// <summary>Feeds the input to the library; returns what happened for any clean outcome, throws for a crash (an undocumented exception).</summary>
    string Run(ReadOnlySpan<byte> input);

    /// <summary>The file an input stands for (a model zip, a checkpoint zip), for the test corpus.</summary>
    byte[] Export(ReadOnlySpan<byte> input);
}

internal static class Targets
{
    public static ITarget? Create(string name) => name switch
    {
        "model" => new Deferred(() => new ModelTarget()),
        "checkpoint" => new Deferred(() => new CheckpointTarget()),
        _ => null,
    };

    /// <summary>
    /// Builds the target on first use. SharpFuzz's instrumented code writes to AFL's shared memory, which is attached
    /// only inside <c>Fuzzer.OutOfProcess.Run</c>: setting up before it (training the template VAE) would fault.
    /// </summary>
    private sealed class Deferred(Func<ITarget> create) : ITarget
    {
        private readonly Lazy<ITarget> _target = new(create);

        public IEnumerable<(string Name, byte[] Bytes)> Seeds() => _target.Value.Seeds();

        public string Run(ReadOnlySpan<byte> input) => _target.Value.Run(input);

        public byte[] Export(ReadOnlySpan<byte> input) => _target.Value.Export(input);
    }
}
