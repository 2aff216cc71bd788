// libFuzzer target: parse a header, then the body and footer until the input ends or fails.
#include <cstddef>
#include <cstdint>

#include "format/body.h"
#include "format/header.h"

namespace {

using envelope::ByteReader;
using envelope::ByteView;
namespace format = envelope::format;

void ParseBody(ByteReader& in, const format::Header& header) {
  if (header.content_type == format::ContentType::kNonFramed) {
    auto prefix = format::ParseNonFramedPrefix(in);
    if (!prefix.ok() || prefix->length > in.remaining() ||
        !in.ReadBytes(prefix->length + format::kTagBytes).ok()) {
      return;
    }
  } else {
    while (true) {
      auto frame = format::ParseFrame(in, header.frame_length);
      if (!frame.ok()) {
        return;
      }
      if (frame->final) {
        break;
      }
    }
  }
  if (header.suite->signs()) {
    (void)format::ParseFooter(in);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ByteReader in(ByteView(data, size), "fuzz");
  format::HeaderLimits limits;
  if (size > 0 && (data[0] & 1) != 0) {
    limits.max_encrypted_data_keys = 3;
  }
  auto header = format::ParseHeader(in, limits);
  if (!header.ok()) {
    return 0;
  }
  // Re-serializing must succeed for anything the parser accepted.
  format::Header copy = *header;
  if (!format::SerializeHeaderBody(copy).ok()) {
    __builtin_trap();
  }
  ParseBody(in, *header);
  return 0;
}
