// Serialization of the message header (v1 and v2).
#include <limits>

#include "format/encryption_context.h"
#include "format/header.h"

namespace envelope::format {
namespace {

constexpr std::size_t kMaxU16 = std::numeric_limits<std::uint16_t>::max();
constexpr std::uint8_t kV1Type = 0x80;

Status CheckFields(const Header& h) {
  if (h.suite == nullptr) {
    return InvalidArgument("header: no algorithm suite");
  }
  if (h.message_id.size() != h.suite->message_id_bytes()) {
    return InvalidArgument("header: message id must be " +
                           std::to_string(h.suite->message_id_bytes()) + " bytes");
  }
  if (h.encrypted_data_keys.empty() || h.encrypted_data_keys.size() > kMaxU16) {
    return InvalidArgument("header: need 1 to 65535 encrypted data keys");
  }
  for (const EncryptedDataKey& edk : h.encrypted_data_keys) {
    if (edk.provider_id.size() > kMaxU16 || edk.provider_info.size() > kMaxU16 ||
        edk.ciphertext.size() > kMaxU16) {
      return InvalidArgument("header: encrypted data key field longer than 65535 bytes");
    }
  }
  const bool framed = h.content_type == ContentType::kFramed;
  if (framed != (h.frame_length > 0)) {
    return InvalidArgument("header: frame length must be > 0 exactly when framed");
  }
  if (h.suite->message_version == 2 && h.commit_key.size() != kCommitKeyBytes) {
    return InvalidArgument("header: commit key must be 32 bytes");
  }
  return OkStatus();
}

}  // namespace

Status SerializeHeaderBody(Header& header) {
  ENVELOPE_RETURN_IF_ERROR(CheckFields(header));
  ENVELOPE_ASSIGN_OR_RETURN(Bytes context, SerializeEncryptionContext(header.encryption_context));
  header.version = header.suite->message_version;
  Bytes out;
  ByteWriter w(out);
  w.U8(header.version);
  if (header.version == 1) {
    w.U8(kV1Type);
  }
  w.U16(header.suite->wire_id());
  w.Append(header.message_id);
  w.U16Prefixed(context);  // an empty context is aad_len 0 and nothing else
  w.U16(static_cast<std::uint16_t>(header.encrypted_data_keys.size()));
  for (const EncryptedDataKey& edk : header.encrypted_data_keys) {
    w.U16Prefixed(AsBytes(edk.provider_id));
    w.U16Prefixed(edk.provider_info);
    w.U16Prefixed(edk.ciphertext);
  }
  w.U8(static_cast<std::uint8_t>(header.content_type));
  if (header.version == 1) {
    w.U32(0);  // reserved
    w.U8(static_cast<std::uint8_t>(kIvBytes));
  }
  w.U32(header.frame_length);
  if (header.version == 2) {
    w.Append(header.commit_key);
  }
  header.body = std::move(out);
  // The header IV is always zero: v1 stores it, v2 leaves it implicit.
  header.iv = header.version == 1 ? Bytes(kIvBytes, 0) : Bytes();
  return OkStatus();
}

void AppendHeaderAuth(const Header& header, Bytes& out) {
  ByteWriter w(out);
  if (header.version == 1) {
    w.Append(header.iv);
  }
  w.Append(header.tag);
}

}  // namespace envelope::format
