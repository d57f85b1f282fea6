using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet;

/// <summary>
/// Finds this library's transformers in a fitted or loaded ML.NET model. <c>model.OfType&lt;VaeTransformer&gt;()</c>
/// sees only the top chain's own transformers, but a pipeline built from a helper typed
/// <c>IEstimator&lt;ITransformer&gt;</c> nests chains (<c>Append</c> puts the helper's whole chain in as one
/// transformer); these methods look inside nested <see cref="TransformerChain{TLastTransformer}"/>s at any depth.
/// </summary>
public static class TransformerSearch
{
    /// <summary>
    /// Every transformer of type <typeparamref name="TTransformer"/> in <paramref name="model"/>: the model itself, or
    /// the transformers of its chain and of the chains nested in it, at any depth, in pipeline order.
    /// </summary>
    /// <typeparam name="TTransformer">The type sought, e.g. <see cref="VaeTransformer"/> or <see cref="AutoencoderTransformer"/>.</typeparam>
    /// <param name="model">A fitted or loaded model: a single transformer or a chain.</param>
    public static IEnumerable<TTransformer> FindTransformers<TTransformer>(this ITransformer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Walk<TTransformer>(model);
    }

    private static IEnumerable<TTransformer> Walk<TTransformer>(ITransformer model)
    {
        if (model is TTransformer found)
        {
            yield return found;
            yield break;
        }
        if (model is not IEnumerable<ITransformer> chain) yield break;
        foreach (var inner in chain)
            foreach (var match in Walk<TTransformer>(inner))
                yield return match;
    }

    /// <summary>The one <see cref="VaeTransformer"/> of <paramref name="model"/>, nested chains included.</summary>
    /// <exception cref="InvalidOperationException">The model holds no VAE, or more than one (then use <see cref="FindTransformers{TTransformer}"/>).</exception>
    public static VaeTransformer FindVae(this ITransformer model) => Single<VaeTransformer>(model);

    /// <summary>The one <see cref="AutoencoderTransformer"/> of <paramref name="model"/>, nested chains included.</summary>
    /// <exception cref="InvalidOperationException">The model holds no autoencoder, or more than one (then use <see cref="FindTransformers{TTransformer}"/>).</exception>
    public static AutoencoderTransformer FindAutoencoder(this ITransformer model) => Single<AutoencoderTransformer>(model);

    private static TTransformer Single<TTransformer>(ITransformer model)
    {
        var found = model.FindTransformers<TTransformer>().Take(2).ToArray();
        return found.Length switch
        {
            1 => found[0],
            0 => throw new InvalidOperationException($"The model holds no {typeof(TTransformer).Name} (looked inside nested chains too)."),
            _ => throw new InvalidOperationException(
                $"The model holds more than one {typeof(TTransformer).Name}: take the one you mean from model.FindTransformers<{typeof(TTransformer).Name}>(), in pipeline order."),
        };
    }
}
