"""The MNIST acceptance figures' reference: pytorch/examples' VAE (784-400-20, Bernoulli, Adam 1e-3, batch 128,
10 shuffled epochs) on ../shared/data/mnist, one intra-op thread. Prints the test negative ELBO (one sample of z, nats
per image) and writes the latent means of the training and test images as CSV (label, then 20 values) for a classifier.

usage: mnist_reference.py SEED [--data DIR] [--out DIR]
The README's accuracies classify those files with ML.NET's LbfgsMaximumEntropy (LoadFromTextFile, Label column 0,
LatentMean columns 1-20), as the library's test classifies its own LatentMean.
"""
import argparse, gzip, os

import numpy as np
import torch
import torch.nn.functional as F

from bench import MlpVae, idx_images


def labels(path):
    with gzip.open(path) as f:
        f.read(8)
        return np.frombuffer(f.read(), np.uint8)


def forward(model, x):
    """pytorch/examples' forward pass: a Bernoulli mean for x, μ and log σ²."""
    mu, logvar = model.encode(x)
    z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
    return torch.sigmoid(model.decode(z)), mu, logvar


def negative_elbo(reconstruction, x, mu, logvar):
    return F.binary_cross_entropy(reconstruction, x, reduction="sum") - 0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("seed", type=int)
    parser.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "../../../shared/data/mnist"))
    parser.add_argument("--out", default=".")
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    train = idx_images(os.path.join(args.data, "train-images-idx3-ubyte.gz"))
    test = idx_images(os.path.join(args.data, "t10k-images-idx3-ubyte.gz"))
    model = MlpVae()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(10):
        order = torch.randperm(len(train))
        for start in range(0, len(train), 128):
            x = train[order[start:start + 128]]
            optimizer.zero_grad()
            reconstruction, mu, logvar = forward(model, x)
            negative_elbo(reconstruction, x, mu, logvar).backward()
            optimizer.step()
    with torch.no_grad():
        total = 0.0
        for start in range(0, len(test), 1000):
            x = test[start:start + 1000]
            reconstruction, mu, logvar = forward(model, x)
            total += negative_elbo(reconstruction, x, mu, logvar).item()
        print(f"seed {args.seed}: test negative ELBO {total / len(test):.2f}")
        for name, x, y in (("train", train, labels(os.path.join(args.data, "train-labels-idx1-ubyte.gz"))),
                           ("test", test, labels(os.path.join(args.data, "t10k-labels-idx1-ubyte.gz")))):
            np.savetxt(os.path.join(args.out, f"latent-{name}.csv"), np.column_stack([y, model.encode(x)[0].numpy()]), delimiter=",", fmt="%.6g")


if __name__ == "__main__":
    main()
