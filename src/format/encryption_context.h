#pragma once
// Encryption context serialization. Spec: docs/format.md#encryption-context.
//   u16 count | { u16 key_len | key | u16 value_len | value } * count     (empty map: no bytes)
#include "core/bytes.h"
#include "envelope/materials.h"

namespace envelope::format {

// Serializes in ascending order of the keys' UTF-8 bytes. An empty context gives no bytes.
// kInvalidArgument when a key or value is longer than 65535 bytes, or the whole exceeds 65535.
Result<Bytes> SerializeEncryptionContext(const EncryptionContext& context);

// Parses what SerializeEncryptionContext writes. Accepts pairs in any order (some SDKs wrote them
// unsorted); rejects duplicate keys, a zero count with bytes present, invalid UTF-8 and trailing
// bytes with kCorrupt. Empty input gives an empty context.
Result<EncryptionContext> ParseEncryptionContext(ByteView bytes);

}  // namespace envelope::format
