namespace Vae.MLNet;

/// <summary>The transforms of <see cref="MLContext.Transforms"/>; most are extension methods on this catalog.</summary>
public sealed partial class TransformsCatalog : CatalogBase
{
    internal TransformsCatalog(MLContext context) : base(context) => Conversion = new ConversionTransforms(this);

    /// <summary>Type and key conversions.</summary>
    public ConversionTransforms Conversion { get; }

    /// <summary>The conversion transforms (<c>MapValueToKey</c>, <c>MapKeyToValue</c>).</summary>
    public sealed partial class ConversionTransforms : CatalogBase
    {
        internal ConversionTransforms(TransformsCatalog owner) : base(owner.Context)
        {
        }
    }
}
