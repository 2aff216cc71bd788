#include "message/worker_pool.h"

#include <algorithm>

namespace envelope::message {

void TaskGroup::Add(std::size_t n) {
  std::lock_guard lock(mutex_);
  pending_ += n;
}

void TaskGroup::Done() {
  std::lock_guard lock(mutex_);
  if (--pending_ == 0) done_.notify_all();
}

void TaskGroup::Wait() {
  std::unique_lock lock(mutex_);
  done_.wait(lock, [this] { return pending_ == 0; });
}

WorkerPool::WorkerPool(unsigned threads) {
  if (threads == 0) threads = 1;
  threads_.reserve(threads);
  for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { Run(); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (auto& t : threads_) t.join();
}

void WorkerPool::Submit(TaskGroup& group, std::vector<std::function<void()>> tasks) {
  group.Add(tasks.size());
  {
    std::lock_guard lock(mutex_);
    for (auto& task : tasks) queue_.emplace_back(&group, std::move(task));
  }
  ready_.notify_all();
}

void WorkerPool::Run() {
  for (;;) {
    std::pair<TaskGroup*, std::function<void()>> item;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      item = std::move(queue_.front());
      queue_.pop_front();
    }
    item.second();
    item.first->Done();
  }
}

unsigned ResolveThreads(unsigned requested) {
  if (requested > 0) return requested;
  // Read once: glibc answers hardware_concurrency by opening and reading a sysfs file, which
  // cost a small message as much as one of its HMACs.
  static const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  return cores;
}

}  // namespace envelope::message
