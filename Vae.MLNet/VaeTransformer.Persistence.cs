using Microsoft.ML;
using Vae.MLNet.Networks;
using Vae.MLNet.Mapping;
using Vae.MLNet.Persistence;

namespace Vae.MLNet;

// Saving to and loading from ML.NET's model zip (the entries are written and read in Persistence/).
public sealed partial class VaeTransformer
{
    /// <summary>Saves the VAE (network description, inference settings, columns, training history and weights) into ML.NET's model zip.</summary>
    /// <remarks>Called by <c>mlContext.Model.Save</c>; load with <c>mlContext.Model.Load</c>, in any process, with no registration.</remarks>
    public void Save(ModelSaveContext ctx)
    {
        _lifetime.ThrowIfEnded();
        VaeModelFile.Save(ctx, new VaeModelFile.SavedVae(_columns, _spec, _inference, TrainingHistory.ToArray()), Network);
    }

    /// <summary>
    /// Rebuilds a saved VAE from checked settings and the weights read from its file: the weights present must cover the
    /// described network before it is built, and every weight must have its expected name, shape and dtype.
    /// </summary>
    internal static VaeTransformer FromSaved(VaeModelFile.SavedVae saved, IReadOnlyList<WeightsFile.Array> arrays, string where)
    {
        long present = arrays.Sum(a => a.Count), needed = VaeNetworkSpecValidation.WeightCount(saved.Spec);
        if (present < needed)
            throw new InvalidDataException($"{where}: the described network has at least {needed:N0} weights but the file holds {present:N0} values.");
        // Without a native backend the network cannot be built. Thrown here, the library's explanation would reach the
        // application inside two TargetInvocationExceptions (ML.NET calls the chain's loader and this one by
        // reflection); so Load returns the model, whose first use throws the explanation itself.
        if (Backend.TorchRuntime.Failure() is { } missingBackend)
            return new VaeTransformer(null, saved.Spec, saved.Columns, saved.Inference, saved.History ?? [],
                new ModelLifetime(typeof(VaeTransformer), missingBackend));
        var network = new VaeNetwork(saved.Spec);
        try
        {
            ModelEntries.LoadWeights(network, arrays, where, "VAE");
            return new VaeTransformer(network, saved.Columns, saved.Inference, saved.History ?? []);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }
}
