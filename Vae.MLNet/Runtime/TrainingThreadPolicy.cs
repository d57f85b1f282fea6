namespace Vae.MLNet.Runtime;

/// <summary>How many threads a Fit runs: libtorch's intra-op threads and the library's packed kernels' (Acceleration/Gemm/PackedGemm).</summary>
/// <param name="Libtorch">libtorch's intra-op threads during the Fit; null leaves libtorch's count as it is.</param>
/// <param name="PackedKernels">The packed kernels' threads on the Fit's thread (1, or 2 with the helper thread); null leaves them.</param>
internal readonly record struct TrainingThreadPolicy(int? Libtorch, int? PackedKernels)
{
    /// <summary>
    /// A Fit with the library's kernels (Acceleration/OwnKernels): <paramref name="trainingThreads"/> threads for libtorch (0: the count libtorch has,
    /// <paramref name="libtorchThreads"/>), except where the packed kernels are preferred (AMD with AVX-512) and that
    /// count is two or more: then libtorch runs one thread and the packed kernels two (the Fit's thread and the library's
    /// helper thread), since libtorch's OpenMP workers spin between operations and would fight the helper for the cores.
    /// </summary>
    public static TrainingThreadPolicy WithOwnKernels(int trainingThreads, int libtorchThreads, bool packedPreferred)
    {
        int threads = trainingThreads > 0 ? trainingThreads : libtorchThreads;
        if (threads > 1 && packedPreferred) return new(1, 2);
        return new(trainingThreads > 0 ? trainingThreads : null, null);
    }

    /// <summary>A Fit with plain libtorch (Acceleration/PlainLibtorch): libtorch at <paramref name="trainingThreads"/> (0: as it is); no packed kernels.</summary>
    public static TrainingThreadPolicy LibtorchOnly(int trainingThreads) => new(trainingThreads > 0 ? trainingThreads : null, null);
}
