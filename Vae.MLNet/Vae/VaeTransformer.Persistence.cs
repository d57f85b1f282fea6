using Vae.MLNet.Inference;
using Vae.MLNet.Networks;
using Vae.MLNet.Torch;

namespace Vae.MLNet;

// Saving and loading: the network's description and inference settings as options JSON, every weight as a named array.
public sealed partial class VaeTransformer
{
    /// <inheritdoc/>
    public override void Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.SetKind(Kind);
        ctx.WriteOptions(new SavedVae(_columns, _network.Spec, _inference, TrainingHistory.ToArray()));
        foreach (var (name, tensor) in _network.state_dict().OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            using var scope = torch.NewDisposeScope();
            var cpu = tensor.detach().cpu();
            int[] shape = cpu.shape.Select(s => checked((int)s)).ToArray();
            if (cpu.dtype == torch.ScalarType.Int64) ctx.WriteArray<long>(name, cpu.data<long>().ToArray(), shape);
            else ctx.WriteArray<float>(name, cpu.to(torch.ScalarType.Float32).data<float>().ToArray(), shape);
        }
    }

    /// <summary>Rebuilds a saved VAE: the network from its saved spec, then every weight checked against its expected shape.</summary>
    internal static VaeTransformer Load(ModelLoadContext ctx)
    {
        var saved = ctx.ReadOptions<SavedVae>();
        if (saved.Columns is null || saved.Spec is null || saved.Inference is null)
            throw new InvalidDataException($"{ctx.Where}: the VAE's options lack its columns, network or inference settings.");
        VaeNetwork network;
        try
        {
            network = new VaeNetwork(saved.Spec);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{ctx.Where}: the saved network description is invalid ({e.Message}).", e);
        }
        try
        {
            using var scope = torch.NewDisposeScope();
            var state = new Dictionary<string, torch.Tensor>();
            foreach (var (name, tensor) in network.state_dict())
            {
                int[] shape = tensor.shape.Select(s => (int)s).ToArray();
                state[name] = tensor.dtype == torch.ScalarType.Int64
                    ? torch.tensor(ctx.ReadArray<long>(name, shape), tensor.shape)
                    : torch.tensor(ctx.ReadArray<float>(name, shape), tensor.shape);
            }
            var unexpected = ctx.ArrayNames.Except(state.Keys).ToArray();
            if (unexpected.Length > 0)
                throw new InvalidDataException($"{ctx.Where}: the VAE has arrays its network does not: {string.Join(", ", unexpected)}.");
            network.load_state_dict(state);
            network.eval();
            return new VaeTransformer(network, saved.Columns, saved.Inference, saved.History ?? []);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>What the model file's options hold for a VAE.</summary>
    internal sealed record SavedVae(VaeColumnNames Columns, VaeNetworkSpec Spec, VaeInferenceSettings Inference, VaeEpochMetrics[]? History);
}
