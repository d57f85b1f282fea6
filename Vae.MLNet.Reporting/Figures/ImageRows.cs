using System.Text;
using Vae.MLNet.Reporting.Imaging;

namespace Vae.MLNet.Reporting.Figures;

/// <summary>Labelled rows of images, each row one inline PNG enlarged without smoothing.</summary>
internal static class ImageRows
{
    private const int MaxRowWidth = 960, TargetTileSize = 84;

    /// <summary>One row per (label, images); every row uses the same shape, value range and enlargement.</summary>
    public static string Html(IReadOnlyList<(string Label, IReadOnlyList<float[]> Images)> rows, ImageShape shape, ValueRange range)
    {
        var html = new StringBuilder("<div class=\"image-grid\">");
        int widest = rows.Max(r => r.Images.Count);
        int scale = Scale(widest * (shape.Width + 1), Math.Max(shape.Height, shape.Width));
        foreach (var (label, images) in rows)
        {
            var (png, width, height) = ImageStrip.Render(images, shape, range);
            html.Append($"<div class=\"image-row\"><span class=\"row-label\">{Figure.Encode(label)}</span>")
                .Append($"<img src=\"data:image/png;base64,{Convert.ToBase64String(png)}\" width=\"{width * scale}\" height=\"{height * scale}\" ")
                .Append($"alt=\"{Figure.Encode(label)}: {images.Count} images of {shape.Channels}×{shape.Height}×{shape.Width}\"></div>");
        }
        return html.Append("</div>").ToString();
    }

    /// <summary>The whole-number enlargement that brings tiles near <see cref="TargetTileSize"/> pixels while the row fits the page.</summary>
    private static int Scale(int rowWidth, int tileSize) =>
        Math.Max(1, Math.Min(MaxRowWidth / Math.Max(rowWidth, 1), (int)Math.Ceiling((double)TargetTileSize / tileSize)));
}
