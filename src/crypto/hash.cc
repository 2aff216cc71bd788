#include "crypto/hash.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <vector>

#include "crypto/openssl_util.h"

namespace envelope::crypto {

using internal::CheckOpenssl;
using internal::Md;

namespace {

// OpenSSL's provider-side names for the digests, as EVP_MAC and EVP_KDF take them.
const char* MdName(HashAlg alg) {
  switch (alg) {
    case HashAlg::kSha1:
      return "SHA1";
    case HashAlg::kSha256:
      return "SHA256";
    case HashAlg::kSha384:
      return "SHA384";
    case HashAlg::kSha512:
      return "SHA512";
  }
  return "SHA256";
}

// Fetched once per process: fetching is a locked lookup, and both objects are immutable and
// safe to share between threads.
EVP_MAC* HmacAlgorithm() {
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  CheckOpenssl(mac != nullptr, "EVP_MAC_fetch(HMAC)");
  return mac;
}

EVP_KDF* HkdfAlgorithm() {
  static EVP_KDF* const kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  CheckOpenssl(kdf != nullptr, "EVP_KDF_fetch(HKDF)");
  return kdf;
}

// OSSL_PARAM octet strings must not point at null even when empty.
void* OctetData(ByteView b) {
  static std::uint8_t empty = 0;
  return b.empty() ? &empty : const_cast<std::uint8_t*>(b.data());
}

// One HKDF context per thread, hash and mode, with the digest and mode set once: setting the
// digest by name makes OpenSSL fetch it, which cost more than the derivation itself for the
// per-message key derivation. Contexts are freed with their thread.
EVP_KDF_CTX* ThreadHkdfContext(HashAlg alg, int mode) {
  struct Cache {
    EVP_KDF_CTX* ctx[4][3] = {};
    ~Cache() {
      for (auto& row : ctx) {
        for (EVP_KDF_CTX* c : row) EVP_KDF_CTX_free(c);
      }
    }
  };
  thread_local Cache cache;
  EVP_KDF_CTX*& ctx = cache.ctx[static_cast<int>(alg)][mode];
  if (ctx == nullptr) {
    ctx = EVP_KDF_CTX_new(HkdfAlgorithm());
    CheckOpenssl(ctx != nullptr, "EVP_KDF_CTX_new");
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode),
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char*>(MdName(alg)), 0),
        OSSL_PARAM_construct_end()};
    CheckOpenssl(EVP_KDF_CTX_set_params(ctx, params) == 1, "EVP_KDF_CTX_set_params");
  }
  return ctx;
}

// Expand with an empty info, in a context of its own.
SecretBytes FreshHkdf(HashAlg alg, int mode, ByteView key, std::size_t length) {
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(HkdfAlgorithm());
  CheckOpenssl(ctx != nullptr, "EVP_KDF_CTX_new");
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode),
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char*>(MdName(alg)), 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, OctetData(key), key.size()),
      OSSL_PARAM_construct_end()};
  SecretBytes out(length);
  const int ok = EVP_KDF_derive(ctx, out.data(), out.size(), params);
  EVP_KDF_CTX_free(ctx);
  CheckOpenssl(ok == 1, "HKDF (length over 255 * HashLen?)");
  return out;
}

// Runs HKDF in `mode` (EVP_KDF_HKDF_MODE_*) with the given key, salt and info.
SecretBytes RunHkdf(HashAlg alg, int mode, ByteView key, ByteView salt, ByteView info,
                    std::size_t length) {
  if (length == 0) {
    return SecretBytes();
  }
  // HkdfExtract never passes an empty salt; an empty info parameter crashes OpenSSL 3.0's HKDF
  // in a reused context, so that case takes a fresh one.
  const bool extract = mode == EVP_KDF_HKDF_MODE_EXTRACT_ONLY;
  if (!extract && info.empty()) {
    // Rare (our callers always pass an info): a fresh context, so no earlier info lingers.
    return FreshHkdf(alg, mode, key, length);
  }
  EVP_KDF_CTX* ctx = ThreadHkdfContext(alg, mode);
  // Every call sets the key and the salt (extract) or the info (expand), so nothing of a
  // previous call carries over.
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, OctetData(key), key.size()),
      extract ? OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, OctetData(salt), salt.size())
              : OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, OctetData(info),
                                                  info.size()),
      OSSL_PARAM_construct_end()};
  SecretBytes out(length);
  const int ok = EVP_KDF_derive(ctx, out.data(), out.size(), params);
  // Replace the key so that no secret outlives the call in the cached context.
  static std::uint8_t placeholder = 0;
  OSSL_PARAM wipe[] = {OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, &placeholder, 1),
                       OSSL_PARAM_construct_end()};
  EVP_KDF_CTX_set_params(ctx, wipe);
  CheckOpenssl(ok == 1, "HKDF (length over 255 * HashLen?)");
  return out;
}

}  // namespace

std::size_t DigestSize(HashAlg alg) {
  switch (alg) {
    case HashAlg::kSha1:
      return 20;
    case HashAlg::kSha256:
      return 32;
    case HashAlg::kSha384:
      return 48;
    case HashAlg::kSha512:
      return 64;
  }
  return 0;
}

struct Hasher::State {
  EVP_MD_CTX* ctx = nullptr;
  ~State() { EVP_MD_CTX_free(ctx); }
};

Hasher::Hasher(HashAlg alg) : state_(std::make_unique<State>()) {
  state_->ctx = EVP_MD_CTX_new();
  CheckOpenssl(state_->ctx != nullptr && EVP_DigestInit_ex(state_->ctx, Md(alg), nullptr) == 1,
               "EVP_DigestInit_ex");
}

Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;
Hasher::~Hasher() = default;

void Hasher::Update(ByteView data) {
  if (!data.empty()) {
    CheckOpenssl(EVP_DigestUpdate(state_->ctx, data.data(), data.size()) == 1,
                 "EVP_DigestUpdate");
  }
}

Bytes Hasher::Finish() {
  Bytes out(EVP_MD_CTX_get_size(state_->ctx));
  unsigned int len = 0;
  CheckOpenssl(EVP_DigestFinal_ex(state_->ctx, out.data(), &len) == 1, "EVP_DigestFinal_ex");
  out.resize(len);
  return out;
}

Bytes Digest(HashAlg alg, ByteView data) {
  Bytes out(DigestSize(alg));
  unsigned int len = 0;
  CheckOpenssl(EVP_Digest(data.data(), data.size(), out.data(), &len, Md(alg), nullptr) == 1,
               "EVP_Digest");
  return out;
}

Bytes Sha256(ByteView data) { return Digest(HashAlg::kSha256, data); }

Bytes Hmac(HashAlg alg, ByteView key, ByteView data) {
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(HmacAlgorithm());
  CheckOpenssl(ctx != nullptr, "EVP_MAC_CTX_new");
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(MdName(alg)), 0),
      OSSL_PARAM_construct_end()};
  Bytes out(DigestSize(alg));
  std::size_t len = 0;
  // EVP_MAC_init wants a non-null key pointer even for an empty key.
  const bool ok = EVP_MAC_init(ctx, static_cast<const unsigned char*>(OctetData(key)), key.size(),
                               params) == 1 &&
                  EVP_MAC_update(ctx, data.data(), data.size()) == 1 &&
                  EVP_MAC_final(ctx, out.data(), &len, out.size()) == 1;
  EVP_MAC_CTX_free(ctx);
  CheckOpenssl(ok, "HMAC");
  out.resize(len);
  return out;
}

SecretBytes HkdfExtract(HashAlg alg, ByteView salt, ByteView ikm) {
  // RFC 5869 §2.2: an absent salt is HashLen zero bytes. Spelled out rather than left to the
  // provider, whose handling of an empty salt parameter is not documented.
  std::vector<std::uint8_t> zeros;
  if (salt.empty()) {
    zeros.assign(DigestSize(alg), 0);
    salt = zeros;
  }
  return RunHkdf(alg, EVP_KDF_HKDF_MODE_EXTRACT_ONLY, ikm, salt, {}, DigestSize(alg));
}

SecretBytes HkdfExpand(HashAlg alg, ByteView prk, ByteView info, std::size_t length) {
  return RunHkdf(alg, EVP_KDF_HKDF_MODE_EXPAND_ONLY, prk, {}, info, length);
}

SecretBytes Hkdf(HashAlg alg, ByteView salt, ByteView ikm, ByteView info, std::size_t length) {
  const SecretBytes prk = HkdfExtract(alg, salt, ikm);
  return HkdfExpand(alg, prk.span(), info, length);
}

bool ConstantTimeEquals(ByteView a, ByteView b) {
  if (a.size() != b.size()) {
    return false;
  }
  return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace envelope::crypto
