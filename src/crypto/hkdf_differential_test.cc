// Our HKDF is composed from OpenSSL's HMAC (see hash.cc for why); this checks it against
// OpenSSL's own HKDF (EVP_KDF) over many inputs: every hash, empty and non-empty salt and info,
// and output lengths across block boundaries.
#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "crypto/hash.h"
#include "tests/testing/fixed_keyring.h"

namespace envelope::crypto {
namespace {

Bytes OpensslHkdf(const char* digest, ByteView salt, ByteView ikm, ByteView info,
                  std::size_t length) {
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
  static std::uint8_t empty = 0;
  auto data = [](ByteView b) { return const_cast<std::uint8_t*>(b.empty() ? &empty : b.data()); };
  std::vector<OSSL_PARAM> params = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char*>(digest), 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, data(ikm), ikm.size())};
  if (!salt.empty()) {
    params.push_back(OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, data(salt), salt.size()));
  }
  if (!info.empty()) {
    params.push_back(OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, data(info), info.size()));
  }
  params.push_back(OSSL_PARAM_construct_end());
  Bytes out(length);
  EXPECT_EQ(EVP_KDF_derive(ctx, out.data(), out.size(), params.data()), 1);
  EVP_KDF_CTX_free(ctx);
  EVP_KDF_free(kdf);
  return out;
}

TEST(HkdfDifferentialTest, MatchesOpensslHkdfForEveryHashAndShape) {
  const std::pair<HashAlg, const char*> hashes[] = {{HashAlg::kSha1, "SHA1"},
                                                    {HashAlg::kSha256, "SHA256"},
                                                    {HashAlg::kSha384, "SHA384"},
                                                    {HashAlg::kSha512, "SHA512"}};
  std::uint64_t seed = 1;
  for (const auto& [alg, name] : hashes) {
    for (std::size_t salt_len : {0, 13, 64, 200}) {
      for (std::size_t info_len : {0, 1, 34}) {
        for (std::size_t length : {1, 16, 32, 63, 64, 65, 130}) {
          const Bytes salt = testing::PatternBytes(salt_len, ++seed);
          const Bytes ikm = testing::PatternBytes(32, ++seed);
          const Bytes info = testing::PatternBytes(info_len, ++seed);
          const SecretBytes ours = Hkdf(alg, salt, ikm, info, length);
          EXPECT_TRUE(ours.Equals(OpensslHkdf(name, salt, ikm, info, length)))
              << name << " salt " << salt_len << " info " << info_len << " length " << length;
        }
      }
    }
  }
}

}  // namespace
}  // namespace envelope::crypto
