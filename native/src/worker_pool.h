// A process-wide pool of worker threads for the shim's own parallel loops. Workers block on a condition variable
// between jobs instead of spinning, so they never compete with OpenBLAS's threads for the cores (libtorch's OpenMP
// team, whose workers spin after every region, made mixed GEMM + parallel-loop workloads several times slower here).
#pragma once

#include <cstdint>
#include <functional>

namespace vae {

// Runs task(i) for every i in [0, count) on the calling thread and the pool's workers, and returns when all are done.
// Indices are handed out one at a time, so uneven tasks balance. An exception from a task is rethrown here.
void parallel_tasks(int64_t count, const std::function<void(int64_t)>& task);

}  // namespace vae
