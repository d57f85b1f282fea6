// The report half of examples/Images: reads the VAE it saved (an ML.NET model zip) and the test images' pixels (an
// ML.NET binary data file) and writes the HTML report. examples/Images runs it; by hand:
//   dotnet examples/ImagesReport/bin/Release/net10.0/ImagesReport.dll VAE.zip PIXELS.idv REPORT.html [TITLE]
using Microsoft.ML;
using Vae.MLNet;
using Vae.MLNet.Reporting;

if (args.Length is < 3 or > 4)
{
    Console.Error.WriteLine("usage: ImagesReport VAE.zip PIXELS.idv REPORT.html [TITLE]");
    return 2;
}
var ml = new MLContext(seed: 0);
using var vae = ml.Model.Load(args[0], out _) as VaeTransformer
    ?? throw new InvalidDataException($"{args[0]} holds no VAE alone (save the fitted VaeTransformer itself).");
var pixels = ml.Data.LoadFromBinary(args[1]);
VaeReport.Write(vae, pixels, args[2], new VaeReportOptions { Title = args.Length == 4 ? args[3] : "VAE on image files" });
Console.WriteLine($"Wrote the report {Path.GetFullPath(args[2])}.");
return 0;
