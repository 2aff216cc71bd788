#pragma once
// Helpers shared by the format parsers. Not part of the module's interface.
#include "core/bytes.h"

namespace envelope::format::internal {

// True when `bytes` is well-formed UTF-8 (no overlong forms, surrogates or code points above
// U+10FFFF).
bool IsValidUtf8(ByteView bytes);

// Runs `parse` on a private reader over the rest of `in`. On success `in` advances past what was
// parsed; on failure `in` keeps its position, and is marked truncated when the private reader ran
// out of bytes, so a streaming caller can append input and parse again from the same place.
template <typename T, typename Fn>
Result<T> ParseAtomically(ByteReader& in, std::string_view what, Fn&& parse) {
  ByteReader local(in.rest(), what);
  Result<T> result = parse(local);
  if (result.ok()) {
    (void)in.ReadBytes(local.position());
  } else if (local.truncated()) {
    (void)in.ReadBytes(in.remaining() + 1);  // a short read: sets truncated(), moves nothing
  }
  return result;
}

}  // namespace envelope::format::internal
