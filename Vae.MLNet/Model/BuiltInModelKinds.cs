using Vae.MLNet.Data;
using Vae.MLNet.Transforms;

namespace Vae.MLNet;

/// <summary>
/// The library's own loadable kinds; registered once when <see cref="ModelLoadRegistry"/> is first used. Other parts
/// of the library (trainers, the VAE) implement the partial hooks in their own folders to add their kinds.
/// </summary>
internal static partial class BuiltInModelKinds
{
    public static void RegisterAll()
    {
        ModelLoadRegistry.Register(TransformerChainKind.Kind, TransformerChainKind.Load);
        ModelLoadRegistry.Register(ColumnCopyingTransformer.Kind, ColumnCopyingTransformer.Load);
        ModelLoadRegistry.Register(ColumnConcatenatingTransformer.Kind, ColumnConcatenatingTransformer.Load);
        ModelLoadRegistry.Register(ColumnSelectingTransformer.Kind, ColumnSelectingTransformer.Load);
        ModelLoadRegistry.Register(NormalizingTransformer.Kind, NormalizingTransformer.Load);
        ModelLoadRegistry.Register(ValueToKeyMappingTransformer.Kind, ValueToKeyMappingTransformer.Load);
        ModelLoadRegistry.Register(KeyToValueMappingTransformer.Kind, KeyToValueMappingTransformer.Load);
        ModelLoadRegistry.Register(MissingValueReplacingTransformer.Kind, MissingValueReplacingTransformer.Load);
        RegisterTrainerKinds();
        RegisterVaeKinds();
    }

    /// <summary>Registers the kinds of Trainers/ (prediction transformers, model parameters).</summary>
    static partial void RegisterTrainerKinds();

    /// <summary>Registers the kinds of Vae/.</summary>
    static partial void RegisterVaeKinds();
}
