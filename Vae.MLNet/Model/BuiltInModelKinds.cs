namespace Vae.MLNet;

/// <summary>The library's own loadable kinds; each registered once when <see cref="ModelLoadRegistry"/> is first used.</summary>
internal static class BuiltInModelKinds
{
    public static void RegisterAll()
    {
        ModelLoadRegistry.Register(Data.TransformerChainKind.Kind, Data.TransformerChainKind.Load);
        ModelLoadRegistry.Register(Transforms.ColumnCopyingTransformer.Kind, Transforms.ColumnCopyingTransformer.Load);
    }
}
