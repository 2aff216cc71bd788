// ParseRsaPadding: the padding names used on the command line and in test-vector manifests.
#include <string>

#include "envelope/keyrings.h"

namespace envelope {

Result<RsaPadding> ParseRsaPadding(std::string_view text) {
  if (text == "pkcs1") {
    return RsaPadding::kPkcs1;
  }
  if (text == "oaep-sha1") {
    return RsaPadding::kOaepSha1;
  }
  if (text == "oaep-sha256") {
    return RsaPadding::kOaepSha256;
  }
  if (text == "oaep-sha384") {
    return RsaPadding::kOaepSha384;
  }
  if (text == "oaep-sha512") {
    return RsaPadding::kOaepSha512;
  }
  return InvalidArgument("unknown RSA padding '" + std::string(text) +
                         "' (expected pkcs1, oaep-sha1, oaep-sha256, oaep-sha384 or oaep-sha512)");
}

}  // namespace envelope
