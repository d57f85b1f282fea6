"""The PyTorch side of the benchmarks: the same models, data and figures as Vae.MLNet.Benchmarks, one per process.

usage: bench.py fit-mlp|fit-conv|transform|transform-dense|latency [--data DIR] [--threads N]
Prints one JSON line, like the C# program.
"""
import gzip, json, math, os, resource, statistics, sys, time

import torch
import torch.nn as nn
import torch.nn.functional as F


# The same sizes as Vae.MLNet.Benchmarks/Program.cs.
FIT_ROWS, TRANSFORM_ROWS = 30000, 30000


def option(name, default=None):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def idx_images(path, count=None):
    """The first count images (all when None) of an IDX image file, as rows of 784 values in [0, 1]."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    count = count or (len(data) - 16) // 784
    images = torch.frombuffer(bytearray(data[16:16 + count * 784]), dtype=torch.uint8)
    return images.float().div(255).view(count, 784)


def mnist(folder, count):
    """MNIST training images in [0, 1], or the same generated blobs as the C# program when the files are absent."""
    path = folder and os.path.join(folder, "train-images-idx3-ubyte.gz")
    if path and os.path.exists(path):
        return idx_images(path, count)
    ys, xs = torch.meshgrid(torch.arange(28.0), torch.arange(28.0), indexing="ij")
    g = torch.Generator().manual_seed(0)
    centre = 6 + 16 * torch.rand(count, 2, generator=g)
    radius = 3 + 4 * torch.rand(count, 1, 1, generator=g)
    d2 = (xs - centre[:, 0, None, None]) ** 2 + (ys - centre[:, 1, None, None]) ** 2
    return torch.exp(-d2 / (2 * radius ** 2)).view(count, 784)


class MlpVae(nn.Module):
    """pytorch/examples' VAE: 784-400-20."""

    def __init__(self):
        super().__init__()
        self.fc1, self.fc21, self.fc22 = nn.Linear(784, 400), nn.Linear(400, 20), nn.Linear(400, 20)
        self.fc3, self.fc4 = nn.Linear(20, 400), nn.Linear(400, 784)

    def encode(self, x):
        h = F.relu(self.fc1(x))
        return self.fc21(h), self.fc22(h)

    def decode(self, z):
        return self.fc4(F.relu(self.fc3(z)))


class ConvVae(nn.Module):
    """The same convolutional VAE as Vae.MLNet's (4x4 stride-2 convolutions, 32 and 64 channels)."""

    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(1, 32, 4, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 4, 2, 1), nn.ReLU(), nn.Flatten())
        self.mu, self.logvar = nn.Linear(64 * 49, 20), nn.Linear(64 * 49, 20)
        self.dec = nn.Sequential(nn.Linear(20, 64 * 49), nn.ReLU(), nn.Unflatten(1, (64, 7, 7)),
                                 nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(32, 1, 4, 2, 1))

    def encode(self, x):
        h = self.enc(x.view(-1, 1, 28, 28))
        return self.mu(h), self.logvar(h)

    def decode(self, z):
        return self.dec(z).view(-1, 784)


def train_epoch(model, optimizer, data, batch=128):
    order = torch.randperm(len(data))
    for i in range(0, len(data), batch):
        x = data[order[i:i + batch]]
        mu, logvar = model.encode(x)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        recon = F.binary_cross_entropy_with_logits(model.decode(z), x, reduction="sum")
        kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        loss = (recon + kl) / len(x)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def fit(model, rows, epochs):
    torch.manual_seed(0)
    data = mnist(option("--data"), rows)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    seconds, cpu, faults = [], [], []
    for _ in range(epochs):
        start, start_cpu, start_faults = time.perf_counter(), time.process_time(), minor_faults()
        train_epoch(model, optimizer, data)
        seconds.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        faults.append(minor_faults() - start_faults)
    timed = seconds[1:] if len(seconds) > 1 else seconds
    timed_cpu = cpu[1:] if len(cpu) > 1 else cpu
    # CPU time of all the process's threads per sample: the figure a shared machine's load disturbs least.
    return {"samples_per_s": rows / statistics.median(timed), "cpu_us_per_sample": statistics.median(timed_cpu) * 1e6 / rows,
            "minor_faults_per_sample": statistics.median(faults[1:] or faults) / rows, "rows": rows}


# Pages the kernel had to map in: memory that malloc gave back and took again shows up here.
def minor_faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def transform(folder):
    model = MlpVae().eval()
    data = mnist(folder, TRANSFORM_ROWS)
    rates = []
    with torch.no_grad():
        for _ in range(5):
            start = time.perf_counter()
            for i in range(0, len(data), 256):
                model.encode(data[i:i + 256])
            rates.append(len(data) / (time.perf_counter() - start))
    return {"rows_per_s": statistics.median(rates[1:])}


def latency():
    model = MlpVae().eval()
    data = mnist(option("--data"), 2048)
    micros = []
    with torch.no_grad():
        for i in range(1000):
            model.encode(data[i % 2048:i % 2048 + 1])
        for i in range(10000):
            start = time.perf_counter()
            model.encode(data[i % 2048:i % 2048 + 1])
            micros.append((time.perf_counter() - start) * 1e6)
    micros.sort()
    return {"median_us": micros[len(micros) // 2], "p99_us": micros[int(len(micros) * 0.99)]}


def main():
    torch.set_num_threads(int(option("--threads", "1")))
    mode = sys.argv[1]
    result = {"fit-mlp": lambda: fit(MlpVae(), FIT_ROWS, 2), "fit-conv": lambda: fit(ConvVae(), 20000, 1),
              "transform": lambda: transform(option("--data")), "transform-dense": lambda: transform(None),
              "latency": latency}[mode]()
    result["figure"] = mode
    result["threads"] = torch.get_num_threads()
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


if __name__ == "__main__":
    main()
