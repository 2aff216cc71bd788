#include "core/random_pool.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <pthread.h>

#include <cstring>
#include <mutex>

namespace envelope::internal {
namespace {

class RandomPool {
 public:
  ~RandomPool() { OPENSSL_cleanse(bytes_, sizeof bytes_); }

  bool Draw(std::span<std::uint8_t> out) {
    if (out.size() > left_) {
      Discard();
      if (RAND_bytes(bytes_, sizeof bytes_) != 1) return false;
      left_ = sizeof bytes_;
    }
    std::uint8_t* from = bytes_ + (sizeof bytes_ - left_);
    std::memcpy(out.data(), from, out.size());
    OPENSSL_cleanse(from, out.size());
    left_ -= out.size();
    return true;
  }

  void Discard() {
    OPENSSL_cleanse(bytes_, sizeof bytes_);
    left_ = 0;
  }

 private:
  // 1 KiB serves about a dozen messages between refills; 32 bytes are the common draw.
  std::uint8_t bytes_[1024];
  std::size_t left_ = 0;
};

RandomPool& ThisThreadsPool() {
  thread_local RandomPool pool;
  return pool;
}

// Runs in the child of fork(), in the one thread the child has, which is the thread whose pool
// the parent may still draw from.
void DiscardInForkChild() { ThisThreadsPool().Discard(); }

}  // namespace

bool DrawFromRandomPool(std::span<std::uint8_t> out) {
  static std::once_flag registered;
  std::call_once(registered, [] { pthread_atfork(nullptr, nullptr, DiscardInForkChild); });
  return ThisThreadsPool().Draw(out);
}

}  // namespace envelope::internal
