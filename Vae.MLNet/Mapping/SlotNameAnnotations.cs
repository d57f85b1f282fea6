using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet.Mapping;

/// <summary>The slot names of the added columns: z0, z1, … for latents (which Concatenate and permutation feature importance pass on), the input's own for reconstructions.</summary>
internal static class SlotNameAnnotations
{
    /// <summary>Slot names prefix0 … prefix(size − 1).</summary>
    public static DataViewSchema.Annotations Numbered(int size, string prefix)
    {
        var names = Enumerable.Range(0, size).Select(i => (prefix + i).AsMemory()).ToArray();
        var builder = new DataViewSchema.Annotations.Builder();
        builder.AddSlotNames(size, (ref VBuffer<ReadOnlyMemory<char>> value) => value = new VBuffer<ReadOnlyMemory<char>>(size, (ReadOnlyMemory<char>[])names.Clone()));
        return builder.ToAnnotations();
    }

    /// <summary>The input column's slot names when it has them (so a reconstruction reads like its input), else Feature0, Feature1, ….</summary>
    public static DataViewSchema.Annotations Like(DataViewSchema.Column input, int size)
    {
        var source = input.HasSlotNames(size) ? input.Annotations : Numbered(size, "Feature");
        var builder = new DataViewSchema.Annotations.Builder();
        builder.Add(source, name => name == AnnotationUtils.Kinds.SlotNames);
        return builder.ToAnnotations();
    }
}
