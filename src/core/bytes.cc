#include "core/bytes.h"

namespace envelope {

Status ByteReader::Truncated() const {
  truncated_ = true;
  return Corrupt(std::string(what_) + ": truncated"); }

Result<std::uint8_t> ByteReader::ReadU8() {
  if (remaining() < 1) return Truncated();
  return data_[pos_++];
}

Result<std::uint16_t> ByteReader::ReadU16() {
  if (remaining() < 2) return Truncated();
  std::uint16_t v = static_cast<std::uint16_t>((data_[pos_] << 8) | data_[pos_ + 1]);
  pos_ += 2;
  return v;
}

Result<std::uint32_t> ByteReader::ReadU32() {
  if (remaining() < 4) return Truncated();
  std::uint32_t v = LoadU32(data_.data() + pos_);
  pos_ += 4;
  return v;
}

Result<std::uint64_t> ByteReader::ReadU64() {
  if (remaining() < 8) return Truncated();
  std::uint64_t v = (std::uint64_t{LoadU32(data_.data() + pos_)} << 32) |
                    LoadU32(data_.data() + pos_ + 4);
  pos_ += 8;
  return v;
}

Result<ByteView> ByteReader::ReadBytes(std::size_t n) {
  if (remaining() < n) return Truncated();
  ByteView v = data_.subspan(pos_, n);
  pos_ += n;
  return v;
}

Result<ByteView> ByteReader::ReadU16Prefixed() {
  const std::size_t start = pos_;
  ENVELOPE_ASSIGN_OR_RETURN(std::uint16_t n, ReadU16());
  if (remaining() < n) {
    pos_ = start;
    return Truncated();
  }
  return ReadBytes(n);
}

void ByteWriter::U16(std::uint16_t v) {
  out_.push_back(static_cast<std::uint8_t>(v >> 8));
  out_.push_back(static_cast<std::uint8_t>(v));
}

void ByteWriter::U32(std::uint32_t v) {
  std::uint8_t b[4];
  StoreU32(b, v);
  out_.insert(out_.end(), b, b + 4);
}

void ByteWriter::U64(std::uint64_t v) {
  std::uint8_t b[8];
  StoreU64(b, v);
  out_.insert(out_.end(), b, b + 8);
}

void ByteWriter::U16Prefixed(ByteView b) {
  U16(static_cast<std::uint16_t>(b.size()));
  Append(b);
}

void StoreU32(std::uint8_t* p, std::uint32_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 24);
  p[1] = static_cast<std::uint8_t>(v >> 16);
  p[2] = static_cast<std::uint8_t>(v >> 8);
  p[3] = static_cast<std::uint8_t>(v);
}

void StoreU64(std::uint8_t* p, std::uint64_t v) {
  StoreU32(p, static_cast<std::uint32_t>(v >> 32));
  StoreU32(p + 4, static_cast<std::uint32_t>(v));
}

std::uint32_t LoadU32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

}  // namespace envelope
