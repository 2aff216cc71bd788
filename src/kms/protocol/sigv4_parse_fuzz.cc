// libFuzzer target: the SigV4 Authorization header parser must never crash or read out of
// bounds, and whatever it accepts must satisfy the documented shape.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "kms/protocol/sigv4.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using envelope::kms::protocol::ParseAuthorization;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto parsed = ParseAuthorization(input);
  if (parsed.ok()) {
    if (parsed->signature.size() != 64 || parsed->access_key_id.empty() ||
        parsed->scope.date.size() != 8 || parsed->signed_headers.empty()) {
      std::abort();
    }
  } else if (parsed.status().error_type() != "IncompleteSignatureException") {
    std::abort();
  }
  // The other parser of untrusted text on the same path.
  (void)envelope::kms::protocol::ParseAmzDate(input);
  return 0;
}
