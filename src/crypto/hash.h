#pragma once
// SHA-1/SHA-2 digests, HMAC and HKDF (RFC 5869) over OpenSSL 3.
#include <memory>

#include "core/bytes.h"
#include "envelope/secret_bytes.h"

namespace envelope::crypto {

enum class HashAlg { kSha1, kSha256, kSha384, kSha512 };
std::size_t DigestSize(HashAlg alg);

// Incremental digest. Not thread-safe.
class Hasher {
 public:
  explicit Hasher(HashAlg alg);
  Hasher(Hasher&&) noexcept;
  Hasher& operator=(Hasher&&) noexcept;
  ~Hasher();
  void Update(ByteView data);
  // Returns the digest; the hasher must not be used afterwards.
  Bytes Finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

Bytes Digest(HashAlg alg, ByteView data);
Bytes Sha256(ByteView data);
Bytes Hmac(HashAlg alg, ByteView key, ByteView data);

// HKDF-Extract. An empty salt means HashLen zero bytes, as RFC 5869 says.
SecretBytes HkdfExtract(HashAlg alg, ByteView salt, ByteView ikm);
// HKDF-Expand. Precondition: length <= 255 * DigestSize(alg).
SecretBytes HkdfExpand(HashAlg alg, ByteView prk, ByteView info, std::size_t length);

// HKDF-Expand of several outputs from one PRK, keying HMAC once (the key schedule of an HMAC
// costs as much as the MAC of a short input). Not thread-safe.
class HkdfExpander {
 public:
  HkdfExpander(HashAlg alg, ByteView prk);
  HkdfExpander(HkdfExpander&&) noexcept;
  ~HkdfExpander();
  // Precondition: length <= 255 * DigestSize(alg).
  SecretBytes Expand(ByteView info, std::size_t length);

 private:
  class Mac;
  std::unique_ptr<Mac> mac_;
  std::size_t hash_len_;
};
SecretBytes Hkdf(HashAlg alg, ByteView salt, ByteView ikm, ByteView info, std::size_t length);

// Constant-time equality of two byte strings (lengths are not secret).
bool ConstantTimeEquals(ByteView a, ByteView b);

}  // namespace envelope::crypto
