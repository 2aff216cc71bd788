#pragma once
// Hex and standard padded base64 (RFC 4648 §4), as used by the message format's public key and
// the KMS JSON protocol's blobs. Decoders reject malformed input with kInvalidArgument.
#include <string>
#include <string_view>

#include "core/bytes.h"

namespace envelope {

std::string HexEncode(ByteView data);
Result<Bytes> HexDecode(std::string_view hex);
std::string Base64Encode(ByteView data);
Result<Bytes> Base64Decode(std::string_view text);

}  // namespace envelope
