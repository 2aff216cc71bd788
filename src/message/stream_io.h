#pragma once
// Reading helpers over InputStream, and streams over memory (used by the one-call API).
#include "core/bytes.h"
#include "envelope/envelope.h"
#include "message/raw_buffer.h"

namespace envelope::message {

// Appends input to `buffer` until it holds `limit` bytes or the input ends. Grows the buffer
// geometrically, so a small message never allocates the whole limit. Returns true at the end
// of the input.
template <typename Buffer>
Result<bool> ReadUpTo(InputStream& input, Buffer& buffer, std::size_t limit);
extern template Result<bool> ReadUpTo(InputStream&, Bytes&, std::size_t);
extern template Result<bool> ReadUpTo(InputStream&, RawBuffer&, std::size_t);

class MemoryInputStream final : public InputStream {
 public:
  explicit MemoryInputStream(ByteView data) : data_(data) {}
  Result<std::size_t> Read(std::span<std::uint8_t> buffer) override;

 private:
  ByteView data_;
  std::size_t pos_ = 0;
};

class VectorOutputStream final : public OutputStream {
 public:
  explicit VectorOutputStream(Bytes& out) : out_(out) {}
  Status Write(std::span<const std::uint8_t> data) override {
    out_.insert(out_.end(), data.begin(), data.end());
    return OkStatus();
  }

 private:
  Bytes& out_;
};

}  // namespace envelope::message
