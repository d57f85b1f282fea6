// Images straight from files: LoadImages → ResizeImages → ConvertToGrayscale → ExtractPixels → VaeEncode (convolutional)
// in one ML.NET pipeline, with no code between the image transforms and the VAE. Without --images it first writes a few
// hundred Fashion-MNIST images as PNG files (one folder per class) into a temporary folder. It prints the test ELBO,
// saves PNG grids of samples and reconstructions, and writes the HTML report (through examples/ImagesReport).
//   dotnet run --project examples/Images -c Release -- [--images DIR] [--count N] [--epochs N] [--size S] [--out DIR] [--report PATH]
return Vae.MLNet.Examples.ImagesCommand.Invoke(args);
