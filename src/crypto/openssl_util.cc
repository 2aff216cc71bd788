#include "crypto/openssl_util.h"

#include <openssl/err.h>

#include <cstdio>
#include <cstdlib>

namespace envelope::crypto::internal {

Status OpensslError(Code code, std::string_view what) {
  std::string message(what);
  const unsigned long err = ERR_peek_error();
  if (err != 0) {
    char reason[256];
    ERR_error_string_n(err, reason, sizeof(reason));
    message += ": ";
    message += reason;
  }
  ERR_clear_error();
  return Status(code, std::move(message));
}

void ClearOpensslErrors() { ERR_clear_error(); }

void CheckOpenssl(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "envelope: fatal OpenSSL failure in %s\n", what);
    std::abort();
  }
}

const EVP_MD* Md(HashAlg alg) {
  switch (alg) {
    case HashAlg::kSha1:
      return EVP_sha1();
    case HashAlg::kSha256:
      return EVP_sha256();
    case HashAlg::kSha384:
      return EVP_sha384();
    case HashAlg::kSha512:
      return EVP_sha512();
  }
  return EVP_sha256();
}

}  // namespace envelope::crypto::internal
