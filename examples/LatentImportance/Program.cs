// Which latent dimensions tell the digits apart: a VAE on MNIST, a linear classifier on its latent means, and ML.NET's
// permutation feature importance per latent dimension (z0, z1, …), beside the KL the VAE spends on each.
//   dotnet run --project examples/LatentImportance -c Release [-- --data DIR --epochs 10 --latent 8 --onnx model.onnx]
return Vae.MLNet.Examples.LatentImportanceCommand.Invoke(args);
