namespace Vae.MLNet.Runtime;

/// <summary>How many threads a Fit runs: libtorch's intra-op threads and the library's packed kernels' (Kernels/PackedGemm).</summary>
/// <param name="Libtorch">libtorch's intra-op threads during the Fit; null leaves libtorch's count as it is.</param>
/// <param name="PackedKernels">The packed kernels' threads on the Fit's thread (1, or 2 with the helper thread); null leaves them.</param>
internal readonly record struct TrainingThreadPolicy(int? Libtorch, int? PackedKernels)
{
    /// <summary>
    /// The one policy of every Fit (the VAE's and the autoencoder's): <paramref name="trainingThreads"/> threads for
    /// libtorch (0: the count libtorch has, <paramref name="libtorchThreads"/>), except where the network computes on the
    /// packed kernels and they are preferred (AMD with AVX-512) and that count is two or more: then libtorch runs one
    /// thread and the packed kernels two (the Fit's thread and the library's helper thread), since libtorch's OpenMP
    /// workers spin between operations and would fight the helper for the cores.
    /// </summary>
    public static TrainingThreadPolicy For(int trainingThreads, int libtorchThreads, bool packedPreferred)
    {
        int threads = trainingThreads > 0 ? trainingThreads : libtorchThreads;
        if (threads > 1 && packedPreferred) return new(1, 2);
        return new(trainingThreads > 0 ? trainingThreads : null, null);
    }
}
