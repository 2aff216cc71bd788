#pragma once
// The private parts of asymmetric.h shared by asymmetric_keys.cc, asymmetric_rsa.cc and
// asymmetric_sign.cc. Not part of the module's API.
#include <optional>

#include "crypto/asymmetric.h"
#include "crypto/openssl_util.h"

namespace envelope::crypto {

// One immutable EVP_PKEY. OpenSSL 3 allows concurrent operations on a shared EVP_PKEY as long
// as each operation has its own EVP_PKEY_CTX, which is how every method here uses it.
struct KeyImpl {
  internal::PkeyPtr pkey;
  std::optional<EcCurve> curve;  // set for EC keys, empty for RSA
  bool is_rsa() const { return !curve.has_value(); }
};

struct PrivateKey::Impl : KeyImpl {};
struct PublicKey::Impl : KeyImpl {};

namespace internal {

// The OpenSSL NID of `curve`.
int CurveNid(EcCurve curve);
// A new EVP_PKEY_CTX for one operation on `key`. kInternal on allocation failure.
Result<PkeyCtxPtr> NewOpContext(const KeyImpl& key);

}  // namespace internal
}  // namespace envelope::crypto
