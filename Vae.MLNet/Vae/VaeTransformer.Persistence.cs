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

    /// <summary>
    /// Rebuilds a saved VAE. The file is untrusted: its network description, inference settings and columns get the
    /// checks Fit applies, and the weights present must cover the described network before it is built; every weight is
    /// then checked against its expected shape.
    /// </summary>
    internal static VaeTransformer Load(ModelLoadContext ctx)
    {
        var saved = ctx.ReadOptions<SavedVae>();
        if (saved.Columns is null || saved.Spec is null || saved.Inference is null)
            throw new InvalidDataException($"{ctx.Where}: the VAE's options lack its columns, network or inference settings.");
        try
        {
            VaeNetworkSpecValidation.Validate(saved.Spec);
            saved.Inference.Validate();
            saved.Columns.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{ctx.Where}: the saved VAE is invalid ({e.Message}).", e);
        }
        var arrays = ctx.ArrayNames.ToDictionary(name => name, name => ReadWeights(ctx, name), StringComparer.Ordinal);
        long present = arrays.Values.Sum(a => a.Values.Length), needed = VaeNetworkSpecValidation.WeightCount(saved.Spec);
        if (present < needed)
            throw new InvalidDataException($"{ctx.Where}: the described network has at least {needed:N0} weights but the file holds {present:N0} values.");

        var network = new VaeNetwork(saved.Spec);
        try
        {
            using var scope = torch.NewDisposeScope();
            var state = new Dictionary<string, torch.Tensor>();
            foreach (var (name, tensor) in network.state_dict())
            {
                if (!arrays.TryGetValue(name, out var array))
                    throw new InvalidDataException($"{ctx.Where}: the VAE has no array '{name}'.");
                long[] shape = tensor.shape;
                if (!array.Shape.Select(d => (long)d).SequenceEqual(shape))
                    throw new InvalidDataException($"{ctx.Where}: array '{name}' has shape [{string.Join(", ", array.Shape)}], expected [{string.Join(", ", shape)}].");
                state[name] = array.Values switch
                {
                    float[] f => tensor.dtype == torch.ScalarType.Int64
                        ? throw new InvalidDataException($"{ctx.Where}: array '{name}' holds Single values, expected Int64.")
                        : torch.tensor(f, shape),
                    long[] l => tensor.dtype == torch.ScalarType.Int64
                        ? torch.tensor(l, shape)
                        : throw new InvalidDataException($"{ctx.Where}: array '{name}' holds Int64 values, expected Single."),
                    _ => throw new InvalidDataException($"{ctx.Where}: array '{name}' has an unexpected type."),
                };
            }
            var unexpected = arrays.Keys.Except(state.Keys).ToArray();
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

    /// <summary>A saved weight array: Single values, or Int64 for counters such as batch norm's num_batches_tracked.</summary>
    private static (Array Values, int[] Shape) ReadWeights(ModelLoadContext ctx, string name)
    {
        try
        {
            return (ctx.ReadArray<float>(name, out int[] shape), shape);
        }
        catch (InvalidDataException notSingle)
        {
            try
            {
                return (ctx.ReadArray<long>(name, out int[] shape), shape);
            }
            catch (InvalidDataException)
            {
                throw notSingle;  // Single is what almost every weight is: report that expectation
            }
        }
    }

    /// <summary>What the model file's options hold for a VAE.</summary>
    internal sealed record SavedVae(VaeColumnNames Columns, VaeNetworkSpec Spec, VaeInferenceSettings Inference, VaeEpochMetrics[]? History);
}
