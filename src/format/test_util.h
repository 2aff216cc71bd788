#pragma once
// Test-only helpers for the format tests: well-formed headers and complete serialized headers.
#include <string>

#include "format/header.h"

namespace envelope::format::testing {

// A valid header for `suite_id` with one EDK, the given context, and counting-byte ids and tags.
inline Header MakeHeader(std::uint16_t suite_id, ContentType content_type,
                         EncryptionContext context = {}) {
  Header h;
  h.suite = FindSuite(suite_id);
  h.message_id.resize(h.suite->message_id_bytes());
  for (std::size_t i = 0; i < h.message_id.size(); ++i) {
    h.message_id[i] = static_cast<std::uint8_t>(i + 1);
  }
  h.encryption_context = std::move(context);
  h.encrypted_data_keys.push_back({"aws-kms", ToBytes("arn:aws:kms:eu-west-1:1:key/k"),
                                   Bytes(40, 0xAB)});
  h.content_type = content_type;
  h.frame_length = content_type == ContentType::kFramed ? 4096 : 0;
  if (h.suite->message_version == 2) {
    h.commit_key.assign(kCommitKeyBytes, 0xCC);
  }
  h.tag.assign(kTagBytes, 0x7A);
  return h;
}

// Serializes the body of `h` (updating it) and returns body followed by the auth fields.
inline Bytes SerializeFull(Header& h) {
  if (!SerializeHeaderBody(h).ok()) {
    return {};
  }
  Bytes out = h.body;
  AppendHeaderAuth(h, out);
  return out;
}

}  // namespace envelope::format::testing
