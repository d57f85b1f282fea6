// MNIST: a VAE in an ML.NET pipeline on real images. Trains the MLP VAE of pytorch/examples and a convolutional VAE,
// classifies digits from the latent means alone, measures the importance-weighted bound and the amortization gap,
// draws samples (per digit with a conditional VAE) in the terminal, and writes an HTML report for each model.
//   dotnet run --project examples/Mnist -c Release -- [--data DIR] [--epochs N] [--take N] [--report PATH] [--fashion]
return Vae.MLNet.Examples.MnistCommand.Invoke(args);
