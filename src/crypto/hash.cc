#include "crypto/hash.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <algorithm>
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

// EVP_MAC_init wants a non-null key pointer even for an empty key.
const void* OctetData(ByteView b) {
  static const std::uint8_t empty = 0;
  return b.empty() ? &empty : b.data();
}

// An HMAC computation with a context of its own, duplicated from a per-process template whose
// digest is set (and which is keyed with the empty key, as OpenSSL only duplicates keyed HMAC
// contexts). Setting the digest by name makes OpenSSL fetch it, which was the dominant cost of
// the few small HMACs a message needs; OpenSSL 3.0's HKDF provider does that fetch for every
// HMAC it computes, which is why HKDF below is composed from this HMAC rather than taken from
// EVP_KDF. OpenSSL clears the context when it is freed, so no key-derived state outlives it.
class HmacContext {
 public:
  HmacContext(HashAlg alg, ByteView key)
      : ctx_(EVP_MAC_CTX_dup(Template(alg))), size_(DigestSize(alg)) {
    CheckOpenssl(ctx_ != nullptr, "EVP_MAC_CTX_dup");
    CheckOpenssl(EVP_MAC_init(ctx_, static_cast<const unsigned char*>(OctetData(key)), key.size(),
                              nullptr) == 1,
                 "EVP_MAC_init");
  }
  ~HmacContext() { EVP_MAC_CTX_free(ctx_); }
  HmacContext(const HmacContext&) = delete;
  HmacContext& operator=(const HmacContext&) = delete;

  // Starts another MAC under the same key.
  void Restart() { CheckOpenssl(EVP_MAC_init(ctx_, nullptr, 0, nullptr) == 1, "EVP_MAC_init"); }
  void Update(ByteView data) {
    if (!data.empty()) {
      CheckOpenssl(EVP_MAC_update(ctx_, data.data(), data.size()) == 1, "EVP_MAC_update");
    }
  }
  // Writes DigestSize bytes to `out`.
  void Final(std::uint8_t* out) {
    std::size_t len = 0;
    CheckOpenssl(EVP_MAC_final(ctx_, out, &len, size_) == 1 && len == size_, "EVP_MAC_final");
  }

 private:
  // Read-only once made, so duplicating it from several threads at once is safe.
  static const EVP_MAC_CTX* Template(HashAlg alg) {
    static EVP_MAC_CTX* const templates[] = {Make(HashAlg::kSha1), Make(HashAlg::kSha256),
                                             Make(HashAlg::kSha384), Make(HashAlg::kSha512)};
    return templates[static_cast<int>(alg)];
  }
  static EVP_MAC_CTX* Make(HashAlg alg) {
    EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(HmacAlgorithm());
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(MdName(alg)), 0),
        OSSL_PARAM_construct_end()};
    static const unsigned char kNoKey = 0;
    CheckOpenssl(ctx != nullptr && EVP_MAC_init(ctx, &kNoKey, 0, params) == 1, "HMAC template");
    return ctx;
  }
  EVP_MAC_CTX* ctx_;
  std::size_t size_;
};

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
  Bytes out(DigestSize(alg));
  HmacContext mac(alg, key);
  mac.Update(data);
  mac.Final(out.data());
  return out;
}

SecretBytes HkdfExtract(HashAlg alg, ByteView salt, ByteView ikm) {
  // RFC 5869 §2.2: PRK = HMAC(salt, IKM); an absent salt is HashLen zero bytes.
  const std::vector<std::uint8_t> zeros(salt.empty() ? DigestSize(alg) : 0, 0);
  SecretBytes prk(DigestSize(alg));
  HmacContext mac(alg, salt.empty() ? ByteView(zeros) : salt);
  mac.Update(ikm);
  mac.Final(prk.data());
  return prk;
}

class HkdfExpander::Mac : public HmacContext {
  using HmacContext::HmacContext;
};

HkdfExpander::HkdfExpander(HashAlg alg, ByteView prk)
    : mac_(std::make_unique<Mac>(alg, prk)), hash_len_(DigestSize(alg)) {}
HkdfExpander::HkdfExpander(HkdfExpander&&) noexcept = default;
HkdfExpander::~HkdfExpander() = default;

SecretBytes HkdfExpander::Expand(ByteView info, std::size_t length) {
  // RFC 5869 §2.3: T(i) = HMAC(PRK, T(i-1) | info | i), OKM = first `length` bytes of T(1)T(2)...
  CheckOpenssl(length <= 255 * hash_len_, "HKDF expand: length over 255 * HashLen");
  SecretBytes okm(length);
  SecretBytes block(hash_len_);
  std::size_t done = 0;
  for (std::uint8_t i = 1; done < length; ++i) {
    mac_->Restart();
    if (i > 1) mac_->Update(block.span());
    mac_->Update(info);
    mac_->Update(ByteView(&i, 1));
    mac_->Final(block.data());
    const std::size_t n = std::min(hash_len_, length - done);
    std::copy_n(block.data(), n, okm.data() + done);
    done += n;
  }
  return okm;
}

SecretBytes HkdfExpand(HashAlg alg, ByteView prk, ByteView info, std::size_t length) {
  return HkdfExpander(alg, prk).Expand(info, length);
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
