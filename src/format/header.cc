// Parsing of the message header (v1 and v2). Structure only: no key derivation, no tag check.
#include <cstdio>
#include <string>

#include "format/encryption_context.h"
#include "format/header.h"
#include "format/internal.h"

namespace envelope::format {
namespace {

constexpr std::uint8_t kV1Type = 0x80;

std::string Hex16(std::uint16_t v) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "0x%04x", v);
  return buf;
}

// version [type] suite message_id
Status ParsePreamble(ByteReader& r, Header& h) {
  ENVELOPE_ASSIGN_OR_RETURN(h.version, r.ReadU8());
  if (h.version != 1 && h.version != 2) {
    return Corrupt("header: unsupported version " + std::to_string(h.version));
  }
  if (h.version == 1) {
    ENVELOPE_ASSIGN_OR_RETURN(std::uint8_t type, r.ReadU8());
    if (type != kV1Type) {
      return Corrupt("header: unsupported message type " + std::to_string(type));
    }
  }
  ENVELOPE_ASSIGN_OR_RETURN(std::uint16_t suite_id, r.ReadU16());
  h.suite = FindSuite(suite_id);
  if (h.suite == nullptr) {
    return Corrupt("header: unsupported algorithm suite " + Hex16(suite_id));
  }
  if (h.suite->message_version != h.version) {
    return Corrupt("header: algorithm suite " + Hex16(suite_id) + " in a version " +
                   std::to_string(h.version) + " message");
  }
  ENVELOPE_ASSIGN_OR_RETURN(ByteView id, r.ReadBytes(h.suite->message_id_bytes()));
  h.message_id.assign(id.begin(), id.end());
  return OkStatus();
}

Status ParseContext(ByteReader& r, Header& h) {
  ENVELOPE_ASSIGN_OR_RETURN(ByteView aad, r.ReadU16Prefixed());
  auto context = ParseEncryptionContext(aad);
  if (!context.ok()) {
    return context.status().Annotate("header");
  }
  h.encryption_context = std::move(context).value();
  return OkStatus();
}

Status ParseEdks(ByteReader& r, const HeaderLimits& limits, Header& h) {
  ENVELOPE_ASSIGN_OR_RETURN(std::uint16_t count, r.ReadU16());
  if (count == 0) {
    return Corrupt("header: encrypted data key count 0");
  }
  // Checked before reading the keys, so a hostile count costs nothing.
  if (limits.max_encrypted_data_keys.has_value() && count > *limits.max_encrypted_data_keys) {
    return Corrupt("header: encrypted data key count " + std::to_string(count) +
                   " exceeds the maximum " + std::to_string(*limits.max_encrypted_data_keys));
  }
  h.encrypted_data_keys.reserve(count);
  for (std::uint16_t i = 0; i < count; ++i) {
    ENVELOPE_ASSIGN_OR_RETURN(ByteView provider_id, r.ReadU16Prefixed());
    ENVELOPE_ASSIGN_OR_RETURN(ByteView provider_info, r.ReadU16Prefixed());
    ENVELOPE_ASSIGN_OR_RETURN(ByteView ciphertext, r.ReadU16Prefixed());
    h.encrypted_data_keys.push_back(EncryptedDataKey{
        std::string(AsChars(provider_id)), Bytes(provider_info.begin(), provider_info.end()),
        Bytes(ciphertext.begin(), ciphertext.end())});
  }
  return OkStatus();
}

// content_type [reserved iv_len] frame_length [commit_key]
Status ParseTrailer(ByteReader& r, Header& h) {
  ENVELOPE_ASSIGN_OR_RETURN(std::uint8_t content_type, r.ReadU8());
  if (content_type != 1 && content_type != 2) {
    return Corrupt("header: unsupported content type " + std::to_string(content_type));
  }
  h.content_type = static_cast<ContentType>(content_type);
  if (h.version == 1) {
    ENVELOPE_ASSIGN_OR_RETURN(std::uint32_t reserved, r.ReadU32());
    if (reserved != 0) {
      return Corrupt("header: reserved bytes are not zero");
    }
    ENVELOPE_ASSIGN_OR_RETURN(std::uint8_t iv_length, r.ReadU8());
    if (iv_length != kIvBytes) {
      return Corrupt("header: IV length " + std::to_string(iv_length) + ", expected 12");
    }
  }
  ENVELOPE_ASSIGN_OR_RETURN(h.frame_length, r.ReadU32());
  if (h.content_type == ContentType::kNonFramed && h.frame_length != 0) {
    return Corrupt("header: non-framed message with frame length " +
                   std::to_string(h.frame_length));
  }
  if (h.content_type == ContentType::kFramed && h.frame_length == 0) {
    return Corrupt("header: framed message with frame length 0");
  }
  if (h.version == 2) {
    ENVELOPE_ASSIGN_OR_RETURN(ByteView commit_key, r.ReadBytes(kCommitKeyBytes));
    h.commit_key.assign(commit_key.begin(), commit_key.end());
  }
  return OkStatus();
}

Result<Header> ParseHeaderFrom(ByteReader& r, const HeaderLimits& limits) {
  Header h;
  ENVELOPE_RETURN_IF_ERROR(ParsePreamble(r, h));
  ENVELOPE_RETURN_IF_ERROR(ParseContext(r, h));
  ENVELOPE_RETURN_IF_ERROR(ParseEdks(r, limits, h));
  ENVELOPE_RETURN_IF_ERROR(ParseTrailer(r, h));
  // The tag authenticates these exact bytes, so keep them rather than re-serializing.
  const ByteView body = r.consumed();
  h.body.assign(body.begin(), body.end());
  if (h.version == 1) {
    ENVELOPE_ASSIGN_OR_RETURN(ByteView iv, r.ReadBytes(kIvBytes));
    h.iv.assign(iv.begin(), iv.end());
  }
  ENVELOPE_ASSIGN_OR_RETURN(ByteView tag, r.ReadBytes(kTagBytes));
  h.tag.assign(tag.begin(), tag.end());
  return h;
}

}  // namespace

Result<Header> ParseHeader(ByteReader& in, const HeaderLimits& limits) {
  return internal::ParseAtomically<Header>(
      in, "header", [&limits](ByteReader& r) { return ParseHeaderFrom(r, limits); });
}

}  // namespace envelope::format
