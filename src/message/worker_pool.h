#pragma once
// A small fixed pool of worker threads for frame batches. A TaskGroup is submitted as a whole
// and waited on as a whole, so the caller can do other work (I/O, hashing) in between.
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace envelope::message {

// Tracks completion of a set of tasks. Wait() returns once all of them have run.
class TaskGroup {
 public:
  void Wait();

 private:
  friend class WorkerPool;
  void Add(std::size_t n);
  void Done();
  std::mutex mutex_;
  std::condition_variable done_;
  std::size_t pending_ = 0;
};

class WorkerPool {
 public:
  // Starts `threads` workers (at least 1).
  explicit WorkerPool(unsigned threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  unsigned size() const { return static_cast<unsigned>(threads_.size()); }
  // Queues every task under `group`. The tasks must not throw.
  void Submit(TaskGroup& group, std::vector<std::function<void()>> tasks);

 private:
  void Run();
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::pair<TaskGroup*, std::function<void()>>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

// The number of workers to use for `requested` (0 = all cores).
unsigned ResolveThreads(unsigned requested);

}  // namespace envelope::message
