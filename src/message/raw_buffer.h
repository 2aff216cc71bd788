#pragma once
// A byte vector whose resize() leaves new bytes uninitialized: batch buffers are always
// overwritten (by input reads or by the cipher), so zero-filling megabytes per batch would only
// cost time.
#include <cstdint>
#include <memory>
#include <vector>

namespace envelope::message {

template <typename T>
struct DefaultInitAllocator : std::allocator<T> {
  template <typename U>
  struct rebind {
    using other = DefaultInitAllocator<U>;
  };
  using std::allocator<T>::allocator;
  template <typename U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

using RawBuffer = std::vector<std::uint8_t, DefaultInitAllocator<std::uint8_t>>;

}  // namespace envelope::message
