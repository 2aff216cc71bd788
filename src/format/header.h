#pragma once
// The message header, versions 1 and 2. Spec: docs/format.md#header.
//
// v1 body: u8 version=1 | u8 type=0x80 | u16 suite | u8[16] message_id | u16 aad_len | aad |
//          u16 edk_count | edks | u8 content_type | u32 reserved=0 | u8 iv_len=12 | u32 frame_len
// v1 auth: u8[12] iv | u8[16] tag
// v2 body: u8 version=2 | u16 suite | u8[32] message_id | u16 aad_len | aad | u16 edk_count |
//          edks | u8 content_type | u32 frame_len | u8[32] commit_key
// v2 auth: u8[16] tag (the IV is implicitly zero)
// edk:     u16 len | provider_id | u16 len | provider_info | u16 len | ciphertext
#include <optional>
#include <vector>

#include "core/bytes.h"
#include "envelope/materials.h"
#include "format/suites.h"

namespace envelope::format {

enum class ContentType : std::uint8_t { kNonFramed = 1, kFramed = 2 };

struct Header {
  std::uint8_t version = 0;
  const SuiteInfo* suite = nullptr;
  Bytes message_id;                      // 16 (v1) or 32 (v2) bytes
  EncryptionContext encryption_context;  // the pairs stored in the header
  std::vector<EncryptedDataKey> encrypted_data_keys;
  ContentType content_type = ContentType::kFramed;
  std::uint32_t frame_length = 0;  // 0 when non-framed
  Bytes commit_key;                // v2 only: the 32-byte suite data
  Bytes body;                      // the exact header body bytes, as received or serialized
  Bytes iv;                        // v1: 12 bytes; v2: empty
  Bytes tag;                       // 16 bytes
};

struct HeaderLimits {
  std::optional<std::size_t> max_encrypted_data_keys;
};

// Parses a header body and its authentication fields from `in`, checking structure only (no
// crypto): version and type, an ESDK suite agreeing with the version, EDK count 1..max (checked
// as soon as it is read), content type, v1 reserved bytes and IV length, frame length 0 exactly
// when non-framed. Errors are kCorrupt; when the input ended early, in.truncated() is true so a
// streaming caller can supply more bytes and parse again.
Result<Header> ParseHeader(ByteReader& in, const HeaderLimits& limits);

// Serializes the body of `header` (version from its suite; context sorted) into header.body,
// sets header.version, and sets header.iv to the zero header IV (12 bytes for v1, empty for v2).
// Preconditions: suite, message_id, at least one EDK, frame_length (> 0 for framed), and the
// commit key for v2. kInvalidArgument if a field does not fit its length prefix.
Status SerializeHeaderBody(Header& header);

// Appends the authentication fields (v1: iv then tag; v2: tag) to `out`.
void AppendHeaderAuth(const Header& header, Bytes& out);

}  // namespace envelope::format
