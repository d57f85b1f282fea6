// The notes' exercises as runnable studies on MNIST: encoder depth (1, 2, 4 hidden layers), latent size (2 to 128),
// the amortization gap after 100 steps of per-image optimization, and random latent points of a plain autoencoder and
// of a VAE decoded and scored by a digit classifier. Each prints a table and writes an HTML page with its plots.
//   dotnet run --project examples/Studies -c Release -- [--quick] [--study depth|latent|gap|samples ...] [--data DIR] [--report-dir DIR]
return Vae.MLNet.Examples.Studies.StudiesCommand.Invoke(args, Console.Out, Console.Error);
