#include "worker_pool.h"

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

namespace vae {
namespace {

struct Job {
  const std::function<void(int64_t)>* task;
  int64_t count;
  std::atomic<int64_t> next{0};
  int64_t finished = 0;  // guarded by the pool's mutex
  std::exception_ptr error;
  std::condition_variable all_done;
};

class WorkerPool {
 public:
  // One worker per core this process may run on (its affinity mask, which containers narrow), less the caller's.
  WorkerPool() {
    cpu_set_t cpus;
    int cores = sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? CPU_COUNT(&cpus) : 0;
    if (cores < 1) cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    for (int i = 1; i < cores; i++, workers_++) std::thread([this] { Work(); }).detach();
  }

  void Run(int64_t count, const std::function<void(int64_t)>& task) {
    if (count <= 0) return;
    auto job = std::make_shared<Job>();
    job->task = &task;
    job->count = count;
    if (count > 1 && workers_ > 0) {
      std::lock_guard<std::mutex> lock(mutex_);
      queue_.push_back(job);
      wake_.notify_all();
    }
    RunTasks(*job);
    std::unique_lock<std::mutex> lock(mutex_);
    job->all_done.wait(lock, [&] { return job->finished == job->count; });
    auto queued = std::find(queue_.begin(), queue_.end(), job);
    if (queued != queue_.end()) queue_.erase(queued);
    if (job->error) std::rethrow_exception(job->error);
  }

 private:
  // Takes indices of the job until none are left; the last to finish wakes the caller.
  void RunTasks(Job& job) {
    int64_t done = 0;
    std::exception_ptr error;
    for (int64_t i; (i = job.next.fetch_add(1)) < job.count; done++) {
      try {
        (*job.task)(i);
      } catch (...) {
        error = std::current_exception();
      }
    }
    if (done == 0) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (error && !job.error) job.error = error;
    job.finished += done;
    if (job.finished == job.count) job.all_done.notify_all();
  }

  void Work() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return !queue_.empty(); });
      auto job = queue_.front();
      // Every index is handed out once this job's counter passes its count; later jobs then get their turn.
      if (job->next.load() >= job->count) {
        queue_.pop_front();
        continue;
      }
      lock.unlock();
      RunTasks(*job);
      lock.lock();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<Job>> queue_;
  int workers_ = 0;
};

}  // namespace

void parallel_tasks(int64_t count, const std::function<void(int64_t)>& task) {
  // Never destroyed: the workers wait for jobs for the life of the process, and nothing runs at exit.
  static WorkerPool* pool = new WorkerPool();
  pool->Run(count, task);
}

}  // namespace vae
