using System.CommandLine;
using Vae.MLNet.Examples.Datasets;

namespace Vae.MLNet.Examples;

/// <summary>The example's command line: finds or writes the images, then runs <see cref="ImagesExample"/>.</summary>
public static class ImagesCommand
{
    /// <summary>The exit code when the data is missing or an option is invalid.</summary>
    public const int UsageError = 2;

    private static readonly string[] Clothes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Parses <paramref name="args"/> and runs the example; returns the process exit code.</summary>
    public static int Invoke(string[] args)
    {
        var images = new Option<string?>("--images") { Description = "A folder of your own images (PNG, JPEG, BMP; subfolders name classes). Default: Fashion-MNIST images written to a temporary folder.", HelpName = "DIR" };
        var data = new Option<string?>("--data") { Description = "The Fashion-MNIST IDX files the default images come from. Default: ../shared/data/fashion-mnist beside the repository.", HelpName = "DIR" };
        var count = new Option<int>("--count") { Description = "How many Fashion-MNIST images to write.", DefaultValueFactory = _ => 800, HelpName = "N" };
        var epochs = new Option<int>("--epochs") { Description = "Epochs of the convolutional VAE.", DefaultValueFactory = _ => 12, HelpName = "N" };
        var size = new Option<int>("--size") { Description = "Images are resized to S × S pixels (a multiple of 4: two stride-2 convolutions).", DefaultValueFactory = _ => 28, HelpName = "S" };
        var output = new Option<string>("--out") { Description = "Folder of the PNG grids, the saved VAE and the report.", DefaultValueFactory = _ => "images-output", HelpName = "DIR" };
        var report = new Option<string>("--report") { Description = "The HTML report. Default: images-report.html in the --out folder.", HelpName = "PATH" };
        var root = new RootCommand("Trains a convolutional VAE on image files through ML.NET's LoadImages → ResizeImages → ExtractPixels, and saves samples and reconstructions.")
        {
            images, data, count, epochs, size, output, report,
        };
        root.SetAction(result =>
        {
            if (result.GetValue(count) < 10 || result.GetValue(epochs) < 1 || result.GetValue(size) is < 4 || result.GetValue(size) % 4 != 0)
            {
                Console.Error.WriteLine("--count must be at least 10, --epochs at least 1, and --size a positive multiple of 4.");
                return UsageError;
            }
            string? temporary = null;
            string? folder = result.GetValue(images);
            if (folder is null)
            {
                string idx = result.GetValue(data) ?? DefaultDataFolder();
                if (!Mnist.IsAvailable(idx))
                {
                    Console.Error.WriteLine($"The Fashion-MNIST IDX files were not found in {Path.GetFullPath(idx)}: pass --data DIR, or --images DIR with images of your own.");
                    return UsageError;
                }
                folder = temporary = Directory.CreateTempSubdirectory("vae-images-").FullName;
                int written = ImageFolder.WriteFashionMnist(idx, folder, result.GetValue(count), Clothes);
                Console.WriteLine($"Wrote {written:N0} Fashion-MNIST images as PNG files into {folder}, one folder per class.");
            }
            else if (!Directory.Exists(folder))
            {
                Console.Error.WriteLine($"The image folder {Path.GetFullPath(folder)} does not exist.");
                return UsageError;
            }
            try
            {
                string outputFolder = result.GetValue(output)!;
                ImagesExample.Run(new ImagesSettings
                {
                    ImageFolder = folder, OutputFolder = outputFolder, Epochs = result.GetValue(epochs), Size = result.GetValue(size),
                    ReportPath = result.GetValue(report) ?? Path.Combine(outputFolder, "images-report.html"),
                });
            }
            finally
            {
                if (temporary is not null) Directory.Delete(temporary, recursive: true);
            }
            return 0;
        });
        var parsed = root.Parse(args);
        int code = parsed.Invoke();
        return parsed.Errors.Count > 0 && code != 0 ? UsageError : code;
    }

    /// <summary>../shared/data/fashion-mnist beside the repository (the folder holding Vae.MLNet.sln).</summary>
    private static string DefaultDataFolder()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Vae.MLNet.sln")))
                    for (var up = dir.Parent; up is not null; up = up.Parent)
                        if (Mnist.IsAvailable(Path.Combine(up.FullName, "shared", "data", "fashion-mnist")))
                            return Path.Combine(up.FullName, "shared", "data", "fashion-mnist");
        return Path.Combine("..", "shared", "data", "fashion-mnist");
    }
}
