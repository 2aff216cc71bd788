#include "message/stream_io.h"

#include <algorithm>
#include <cstring>

namespace envelope::message {

namespace {
constexpr std::size_t kInitialRead = 64 * 1024;
}

template <typename Buffer>
Result<bool> ReadUpTo(InputStream& input, Buffer& buffer, std::size_t limit) {
  while (buffer.size() < limit) {
    const std::size_t have = buffer.size();
    // Use the capacity already there (recycled buffers); grow geometrically otherwise.
    const std::size_t want =
        std::min(limit, std::max({kInitialRead, have * 2, buffer.capacity()}));
    buffer.resize(want);
    auto n = input.Read(std::span<std::uint8_t>(buffer.data() + have, want - have));
    if (!n.ok()) {
      buffer.resize(have);
      return n.status();
    }
    buffer.resize(have + *n);
    if (*n == 0) return true;
  }
  return false;
}

template Result<bool> ReadUpTo(InputStream&, Bytes&, std::size_t);
template Result<bool> ReadUpTo(InputStream&, RawBuffer&, std::size_t);

Result<std::size_t> MemoryInputStream::Read(std::span<std::uint8_t> buffer) {
  const std::size_t n = std::min(buffer.size(), data_.size() - pos_);
  if (n > 0) std::memcpy(buffer.data(), data_.data() + pos_, n);
  pos_ += n;
  return n;
}

}  // namespace envelope::message
