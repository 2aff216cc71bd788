#include "message/stream_io.h"

#include <algorithm>
#include <cstring>

namespace envelope::message {

namespace {
constexpr std::size_t kInitialRead = 64 * 1024;
}

Result<bool> ReadUpTo(InputStream& input, Bytes& buffer, std::size_t limit) {
  while (buffer.size() < limit) {
    const std::size_t have = buffer.size();
    const std::size_t want = std::min(limit, std::max(kInitialRead, have * 2));
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

Result<std::size_t> MemoryInputStream::Read(std::span<std::uint8_t> buffer) {
  const std::size_t n = std::min(buffer.size(), data_.size() - pos_);
  if (n > 0) std::memcpy(buffer.data(), data_.data() + pos_, n);
  pos_ += n;
  return n;
}

}  // namespace envelope::message
