// Encryption context serialization: u16 count, then (u16 len, key, u16 len, value) per pair.
#include "format/encryption_context.h"

#include <limits>
#include <string>

#include "format/internal.h"

namespace envelope::format {
namespace internal {

bool IsValidUtf8(ByteView bytes) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    const std::uint8_t lead = bytes[i];
    std::size_t extra;
    std::uint32_t code;
    std::uint32_t min;
    if (lead < 0x80) {
      ++i;
      continue;
    } else if ((lead & 0xE0) == 0xC0) {
      extra = 1, code = lead & 0x1F, min = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      extra = 2, code = lead & 0x0F, min = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      extra = 3, code = lead & 0x07, min = 0x10000;
    } else {
      return false;
    }
    if (bytes.size() - i <= extra) {
      return false;
    }
    for (std::size_t k = 1; k <= extra; ++k) {
      if ((bytes[i + k] & 0xC0) != 0x80) {
        return false;
      }
      code = (code << 6) | (bytes[i + k] & 0x3F);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

}  // namespace internal

namespace {
constexpr std::size_t kMaxU16 = std::numeric_limits<std::uint16_t>::max();
}  // namespace

Result<Bytes> SerializeEncryptionContext(const EncryptionContext& context) {
  Bytes out;
  if (context.empty()) {
    return out;
  }
  if (context.size() > kMaxU16) {
    return InvalidArgument("encryption context: more than 65535 pairs");
  }
  // std::map<std::string, ...> orders keys with char_traits<char>::compare, which compares as
  // unsigned char: exactly the ascending UTF-8 byte order the format requires.
  ByteWriter w(out);
  w.U16(static_cast<std::uint16_t>(context.size()));
  for (const auto& [key, value] : context) {
    if (key.size() > kMaxU16 || value.size() > kMaxU16) {
      return InvalidArgument("encryption context: key or value longer than 65535 bytes");
    }
    w.U16Prefixed(AsBytes(key));
    w.U16Prefixed(AsBytes(value));
  }
  if (out.size() > kMaxU16) {
    return InvalidArgument("encryption context: serialized size exceeds 65535 bytes");
  }
  return out;
}

Result<EncryptionContext> ParseEncryptionContext(ByteView bytes) {
  EncryptionContext context;
  if (bytes.empty()) {
    return context;
  }
  // The bytes are a complete, length-delimited field: running short inside it is corruption,
  // not truncation, so the caller's reader is never marked truncated from here.
  ByteReader r(bytes, "encryption context");
  ENVELOPE_ASSIGN_OR_RETURN(std::uint16_t count, r.ReadU16());
  if (count == 0) {
    return Corrupt("encryption context: pair count 0 with a non-empty context");
  }
  for (std::uint16_t i = 0; i < count; ++i) {
    ENVELOPE_ASSIGN_OR_RETURN(ByteView key, r.ReadU16Prefixed());
    ENVELOPE_ASSIGN_OR_RETURN(ByteView value, r.ReadU16Prefixed());
    if (!internal::IsValidUtf8(key) || !internal::IsValidUtf8(value)) {
      return Corrupt("encryption context: invalid UTF-8");
    }
    if (!context.emplace(std::string(AsChars(key)), std::string(AsChars(value))).second) {
      return Corrupt("encryption context: duplicate key");
    }
  }
  if (!r.empty()) {
    return Corrupt("encryption context: length does not match its pairs");
  }
  return context;
}

}  // namespace envelope::format
