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

// Explicitly fetched once per process: the legacy EVP_sha256()-style getters make OpenSSL 3 do
// an implicit, locked fetch on every init, which dominated small-message costs.
const EVP_MD* Md(HashAlg alg) {
  static EVP_MD* const kSha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  static EVP_MD* const kSha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  static EVP_MD* const kSha384 = EVP_MD_fetch(nullptr, "SHA384", nullptr);
  static EVP_MD* const kSha512 = EVP_MD_fetch(nullptr, "SHA512", nullptr);
  const EVP_MD* md = nullptr;
  switch (alg) {
    case HashAlg::kSha1: md = kSha1; break;
    case HashAlg::kSha256: md = kSha256; break;
    case HashAlg::kSha384: md = kSha384; break;
    case HashAlg::kSha512: md = kSha512; break;
  }
  CheckOpenssl(md != nullptr, "EVP_MD_fetch");
  return md;
}

}  // namespace envelope::crypto::internal
