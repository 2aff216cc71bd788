#pragma once
// Message body (frames and the legacy non-framed body) and footer. Spec: docs/format.md#body.
//
// regular frame: u32 seq | u8[12] iv | u8[frame_len] ciphertext | u8[16] tag
// final frame:   u32 0xFFFFFFFF | u32 seq | u8[12] iv | u32 len | u8[len] ciphertext | u8[16] tag
// non-framed:    u8[12] iv | u64 len | u8[len] ciphertext | u8[16] tag
// footer:        u16 sig_len | u8[sig_len] signature
// body AAD:      message_id | label | u32 seq | u64 plaintext_len
#include <cstdint>

#include "core/bytes.h"

namespace envelope::format {

inline constexpr std::uint32_t kFinalFrameMarker = 0xFFFFFFFF;
inline constexpr std::size_t kRegularFramePrefixBytes = 4 + 12;
inline constexpr std::size_t kFinalFramePrefixBytes = 4 + 4 + 12 + 4;
inline constexpr std::uint64_t kMaxNonFramedLength = (std::uint64_t{1} << 36) - 32;
inline constexpr std::size_t kMaxBodyAadBytes = 32 + 35 + 4 + 8;  // longest label: 35

enum class BodyKind { kRegularFrame, kFinalFrame, kSingleBlock };

// Writes the body AAD into `out` (at least kMaxBodyAadBytes) and returns its length.
std::size_t WriteBodyAad(ByteView message_id, BodyKind kind, std::uint32_t sequence,
                         std::uint64_t plaintext_length, std::uint8_t* out);

// The canonical IV for a sequence number: 8 zero bytes then the u32 sequence number.
void WriteCanonicalIv(std::uint32_t sequence, std::uint8_t out[12]);

// Frame prefixes with canonical IVs; the caller appends ciphertext and tag.
void WriteRegularFramePrefix(std::uint32_t sequence, std::uint8_t out[kRegularFramePrefixBytes]);
void WriteFinalFramePrefix(std::uint32_t sequence, std::uint32_t length,
                           std::uint8_t out[kFinalFramePrefixBytes]);

struct FrameView {
  bool final = false;
  std::uint32_t sequence = 0;
  ByteView iv;
  ByteView ciphertext;
  ByteView tag;
};

// Parses one frame. A regular frame holds exactly `frame_length` bytes; a final frame at most
// that. kCorrupt otherwise; in.truncated() tells a short input apart. The sequence number is
// returned as stored; the caller checks continuity.
Result<FrameView> ParseFrame(ByteReader& in, std::uint32_t frame_length);

struct NonFramedPrefix {
  ByteView iv;
  std::uint64_t length = 0;
};
// Parses the iv and length of a non-framed body (length <= kMaxNonFramedLength).
Result<NonFramedPrefix> ParseNonFramedPrefix(ByteReader& in);

// Parses the footer; kCorrupt if it is empty or truncated.
Result<ByteView> ParseFooter(ByteReader& in);
void AppendFooter(ByteView signature, Bytes& out);

}  // namespace envelope::format
