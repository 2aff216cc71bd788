#pragma once
// A per-thread buffer of CSPRNG output, so that the few small draws of a message (data key,
// message id, IVs) cost one call into OpenSSL's DRBG instead of one each. Every RAND_bytes call
// in OpenSSL 3.0 makes a getpid system call for its fork check, which was a sixth of the cost
// of encrypting a 1 KiB message.
//
// Contract: bytes are handed out once and erased from the buffer as they leave it; the buffer
// is erased when its thread ends; in the child of a fork() the buffer is discarded, so parent
// and child never hand out the same bytes.
#include <cstdint>
#include <span>

namespace envelope::internal {

// The largest draw served from the buffer; larger draws go to OpenSSL directly.
inline constexpr std::size_t kRandomPoolMaxDraw = 64;

// Fills `out` (at most kRandomPoolMaxDraw bytes) with CSPRNG output. Returns false if OpenSSL's
// generator failed (out is then left unspecified).
bool DrawFromRandomPool(std::span<std::uint8_t> out);

}  // namespace envelope::internal
