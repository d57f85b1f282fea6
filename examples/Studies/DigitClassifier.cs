using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Vae.MLNet.Examples.Studies;

/// <summary>
/// The samples study's judge: a small convolutional digit classifier (LeNet-like: two 5×5 convolutions with max
/// pooling, then 128 hidden units), trained with Adam on real MNIST digits. Written here because ML.NET has no
/// convolutional trainer for raw pixel vectors, and its pixel classifiers judge decoded images badly: measured on the
/// same images, SdcaMaximumEntropy gives a VAE's blurry digits low confidence and LightGbm calls most of them 8.
/// </summary>
public sealed class DigitClassifier : IDisposable
{
    private readonly Sequential _network;

    /// <summary>Trains the classifier for <paramref name="epochs"/> passes over the images (784 pixels in [0, 1]) and their labels 0–9.</summary>
    public DigitClassifier(IReadOnlyList<float[]> images, IReadOnlyList<int> labels, int epochs, int seed)
    {
        using var generator = new Generator(unchecked((ulong)seed));
        manual_seed(seed);
        _network = nn.Sequential(
            nn.Conv2d(1, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(32 * 4 * 4, 128), nn.ReLU(), nn.Linear(128, 10));
        using var optimizer = optim.Adam(_network.parameters(), lr: 1e-3);
        var random = new Random(seed);
        _network.train();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            int[] order = [.. Enumerable.Range(0, images.Count).OrderBy(_ => random.Next())];
            foreach (var batch in order.Chunk(128))
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                var x = Pixels(batch.Select(i => images[i]).ToArray());
                var y = tensor(batch.Select(i => (long)labels[i]).ToArray());
                nn.functional.cross_entropy(_network.call(x), y).backward();
                optimizer.step();
            }
        }
        _network.eval();
    }

    /// <summary>The class probabilities of each image.</summary>
    public float[][] Probabilities(IReadOnlyList<float[]> images)
    {
        var result = new List<float[]>(images.Count);
        using var noGrad = no_grad();
        foreach (var batch in images.Chunk(512))
        {
            using var scope = NewDisposeScope();
            var probabilities = _network.call(Pixels(batch)).softmax(1);
            var flat = probabilities.data<float>().ToArray();
            for (int i = 0; i < batch.Length; i++) result.Add(flat[(i * 10)..((i + 1) * 10)]);
        }
        return [.. result];
    }

    private static Tensor Pixels(float[][] images) => tensor(images.SelectMany(p => p).ToArray(), [images.Length, 1, 28, 28]);

    /// <summary>Frees the network's native memory.</summary>
    public void Dispose() => _network.Dispose();
}
