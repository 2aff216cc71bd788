#pragma once
// Byte buffers and bounds-checked big-endian reading and writing, for wire formats.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "envelope/result.h"

namespace envelope {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline ByteView AsBytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline std::string_view AsChars(ByteView b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}
inline Bytes ToBytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

// Reads big-endian integers and slices from a borrowed buffer. A short read returns
// kCorrupt("<what>: truncated") and leaves the position unchanged.
class ByteReader {
 public:
  explicit ByteReader(ByteView data, std::string_view what = "input") : data_(data), what_(what) {}

  Result<std::uint8_t> ReadU8();
  Result<std::uint16_t> ReadU16();
  Result<std::uint32_t> ReadU32();
  Result<std::uint64_t> ReadU64();
  // A view of the next `n` bytes; valid while the underlying buffer lives.
  Result<ByteView> ReadBytes(std::size_t n);
  // u16 length then that many bytes.
  Result<ByteView> ReadU16Prefixed();

  std::size_t position() const { return pos_; }
  std::size_t remaining() const { return data_.size() - pos_; }
  bool empty() const { return pos_ == data_.size(); }
  // True once a read failed for lack of bytes: a streaming caller may read more and retry.
  bool truncated() const { return truncated_; }
  ByteView consumed() const { return data_.first(pos_); }
  ByteView rest() const { return data_.subspan(pos_); }

 private:
  Status Truncated() const;
  ByteView data_;
  std::string_view what_;
  std::size_t pos_ = 0;
  mutable bool truncated_ = false;
};

// Appends big-endian integers and byte strings to a borrowed buffer.
class ByteWriter {
 public:
  explicit ByteWriter(Bytes& out) : out_(out) {}
  void U8(std::uint8_t v) { out_.push_back(v); }
  void U16(std::uint16_t v);
  void U32(std::uint32_t v);
  void U64(std::uint64_t v);
  void Append(ByteView b) { out_.insert(out_.end(), b.begin(), b.end()); }
  void Append(std::string_view s) { Append(AsBytes(s)); }
  // u16 length then the bytes. Precondition: b.size() <= 65535.
  void U16Prefixed(ByteView b);

 private:
  Bytes& out_;
};

void StoreU32(std::uint8_t* p, std::uint32_t v);
void StoreU64(std::uint8_t* p, std::uint64_t v);
std::uint32_t LoadU32(const std::uint8_t* p);

}  // namespace envelope
