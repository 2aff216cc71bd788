// Frames, the non-framed body, the footer, and the body AAD.
#include "format/body.h"

#include <cstring>
#include <string>
#include <string_view>

#include "format/internal.h"
#include "format/suites.h"

namespace envelope::format {
namespace {

constexpr std::string_view kFrameLabel = "AWSKMSEncryptionClient Frame";
constexpr std::string_view kFinalFrameLabel = "AWSKMSEncryptionClient Final Frame";
constexpr std::string_view kSingleBlockLabel = "AWSKMSEncryptionClient Single Block";
static_assert(kMaxBodyAadBytes >= 32 + kSingleBlockLabel.size() + 4 + 8);
static_assert(kMaxBodyAadBytes >= 32 + kFinalFrameLabel.size() + 4 + 8);

std::string_view Label(BodyKind kind) {
  switch (kind) {
    case BodyKind::kRegularFrame:
      return kFrameLabel;
    case BodyKind::kFinalFrame:
      return kFinalFrameLabel;
    case BodyKind::kSingleBlock:
      return kSingleBlockLabel;
  }
  return {};
}

Result<FrameView> ParseFrameFrom(ByteReader& r, std::uint32_t frame_length) {
  FrameView frame;
  ENVELOPE_ASSIGN_OR_RETURN(std::uint32_t first, r.ReadU32());
  std::uint32_t length = frame_length;
  if (first == kFinalFrameMarker) {
    frame.final = true;
    ENVELOPE_ASSIGN_OR_RETURN(frame.sequence, r.ReadU32());
    ENVELOPE_ASSIGN_OR_RETURN(frame.iv, r.ReadBytes(kIvBytes));
    ENVELOPE_ASSIGN_OR_RETURN(length, r.ReadU32());
    if (length > frame_length) {
      return Corrupt("frame: final frame length " + std::to_string(length) +
                     " exceeds the frame length " + std::to_string(frame_length));
    }
  } else {
    frame.sequence = first;
    ENVELOPE_ASSIGN_OR_RETURN(frame.iv, r.ReadBytes(kIvBytes));
  }
  ENVELOPE_ASSIGN_OR_RETURN(frame.ciphertext, r.ReadBytes(length));
  ENVELOPE_ASSIGN_OR_RETURN(frame.tag, r.ReadBytes(kTagBytes));
  return frame;
}

Result<NonFramedPrefix> ParseNonFramedPrefixFrom(ByteReader& r) {
  NonFramedPrefix prefix;
  ENVELOPE_ASSIGN_OR_RETURN(prefix.iv, r.ReadBytes(kIvBytes));
  ENVELOPE_ASSIGN_OR_RETURN(prefix.length, r.ReadU64());
  if (prefix.length > kMaxNonFramedLength) {
    return Corrupt("body: non-framed length " + std::to_string(prefix.length) +
                   " exceeds 2^36 - 32");
  }
  return prefix;
}

Result<ByteView> ParseFooterFrom(ByteReader& r) {
  ENVELOPE_ASSIGN_OR_RETURN(ByteView signature, r.ReadU16Prefixed());
  if (signature.empty()) {
    return Corrupt("footer: empty signature");
  }
  return signature;
}

}  // namespace

std::size_t WriteBodyAad(ByteView message_id, BodyKind kind, std::uint32_t sequence,
                         std::uint64_t plaintext_length, std::uint8_t* out) {
  const std::string_view label = Label(kind);
  std::uint8_t* p = out;
  std::memcpy(p, message_id.data(), message_id.size());
  p += message_id.size();
  std::memcpy(p, label.data(), label.size());
  p += label.size();
  StoreU32(p, sequence);
  StoreU64(p + 4, plaintext_length);
  return static_cast<std::size_t>(p + 12 - out);
}

void WriteCanonicalIv(std::uint32_t sequence, std::uint8_t out[12]) {
  std::memset(out, 0, 8);
  StoreU32(out + 8, sequence);
}

void WriteRegularFramePrefix(std::uint32_t sequence, std::uint8_t out[kRegularFramePrefixBytes]) {
  StoreU32(out, sequence);
  WriteCanonicalIv(sequence, out + 4);
}

void WriteFinalFramePrefix(std::uint32_t sequence, std::uint32_t length,
                           std::uint8_t out[kFinalFramePrefixBytes]) {
  StoreU32(out, kFinalFrameMarker);
  StoreU32(out + 4, sequence);
  WriteCanonicalIv(sequence, out + 8);
  StoreU32(out + 20, length);
}

Result<FrameView> ParseFrame(ByteReader& in, std::uint32_t frame_length) {
  return internal::ParseAtomically<FrameView>(
      in, "frame", [frame_length](ByteReader& r) { return ParseFrameFrom(r, frame_length); });
}

Result<NonFramedPrefix> ParseNonFramedPrefix(ByteReader& in) {
  return internal::ParseAtomically<NonFramedPrefix>(in, "body", ParseNonFramedPrefixFrom);
}

Result<ByteView> ParseFooter(ByteReader& in) {
  return internal::ParseAtomically<ByteView>(in, "footer", ParseFooterFrom);
}

void AppendFooter(ByteView signature, Bytes& out) { ByteWriter(out).U16Prefixed(signature); }

}  // namespace envelope::format
