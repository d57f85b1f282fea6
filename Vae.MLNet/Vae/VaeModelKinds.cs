namespace Vae.MLNet;

internal static partial class BuiltInModelKinds
{
    static partial void RegisterVaeKinds() => ModelLoadRegistry.Register(VaeTransformer.Kind, VaeTransformer.Load);
}
