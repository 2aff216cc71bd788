// libFuzzer target: the KMS client parses every response body a server sends, and a server (or
// whatever answers on its address) is not trusted. Every response parser must return a Result
// for any bytes, never crash, throw or read out of bounds; an error body always becomes a
// non-OK Status.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "kms/protocol/json_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace p = envelope::kms::protocol;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)p::ParseEncryptResponse(body);
  (void)p::ParseDecryptResponse(body);
  (void)p::ParseReEncryptResponse(body);
  (void)p::ParseGenerateDataKeyResponse(body);
  (void)p::ParseGenerateRandomResponse(body);
  (void)p::ParseDescribeKeyResponse(body);
  (void)p::ParseCreateKeyResponse(body);
  (void)p::ParseListKeysResponse(body);
  (void)p::ParseListAliasesResponse(body);
  (void)p::ParseScheduleKeyDeletionResponse(body);
  for (int status : {400, 500, 503}) {
    if (p::ParseErrorResponse(status, body).ok()) std::abort();
  }
  return 0;
}
