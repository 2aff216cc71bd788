#pragma once
// Internal helpers shared by the crypto module's .cc files: owning pointers for OpenSSL objects,
// error-queue handling, and a check for failures that the public contract leaves no room for.
// Not part of the module's API.
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <memory>
#include <string>
#include <string_view>

#include "crypto/hash.h"
#include "envelope/status.h"

namespace envelope::crypto::internal {

template <auto Fn>
struct Deleter {
  template <typename T>
  void operator()(T* p) const {
    Fn(p);
  }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_clear_free>>;
using EcGroupPtr = std::unique_ptr<EC_GROUP, Deleter<EC_GROUP_free>>;
using EcPointPtr = std::unique_ptr<EC_POINT, Deleter<EC_POINT_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM_free>>;

// Returns a Status with `code` and "<what>: <first OpenSSL reason>", and empties the thread's
// OpenSSL error queue so that a stale error never leaks into a later, unrelated call.
Status OpensslError(Code code, std::string_view what);

// Empties the thread's OpenSSL error queue (after an expected failure, e.g. a tag mismatch).
void ClearOpensslErrors();

// Aborts the process when `ok` is false. Only for failures that cannot happen short of memory
// exhaustion or a broken OpenSSL install, where the signature has no error path (e.g. Digest).
void CheckOpenssl(bool ok, const char* what);

// The EVP_MD for `alg` (OpenSSL's built-in, never null).
const EVP_MD* Md(HashAlg alg);

}  // namespace envelope::crypto::internal
