#include "kms/protocol/signing_key_cache.h"

#include <gtest/gtest.h>

#include <string>

#include "core/bytes.h"

namespace envelope::kms::protocol {
namespace {

SecretBytes Secret(std::string_view text) { return SecretBytes(AsBytes(text)); }

const CredentialScope kScope{"20150830", "us-east-1", "kms"};

TEST(SigningKeyCache, ReturnsTheSameKeyAsDerivingIt) {
  SigningKeyCache cache;
  const SecretBytes secret = Secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  const SecretBytes expected = DeriveSigningKey(secret, kScope);
  EXPECT_TRUE(cache.Get("AKID", secret, kScope).Equals(expected.span()));
  EXPECT_TRUE(cache.Get("AKID", secret, kScope).Equals(expected.span()));
}

TEST(SigningKeyCache, DerivesOncePerAccessKeyAndScope) {
  SigningKeyCache cache;
  const SecretBytes secret = Secret("secret");
  for (int i = 0; i < 5; ++i) (void)cache.Get("AKID", secret, kScope);
  EXPECT_EQ(cache.derivations(), 1u);
  (void)cache.Get("AKID", secret, {"20150831", "us-east-1", "kms"});
  (void)cache.Get("AKID", secret, {"20150830", "eu-west-1", "kms"});
  (void)cache.Get("OTHER", secret, kScope);
  EXPECT_EQ(cache.derivations(), 4u);
  EXPECT_EQ(cache.size(), 4u);
}

TEST(SigningKeyCache, ChangedSecretDerivesANewKey) {
  SigningKeyCache cache;
  (void)cache.Get("AKID", Secret("old secret"), kScope);
  const SecretBytes fresh = Secret("new secret");
  EXPECT_TRUE(cache.Get("AKID", fresh, kScope).Equals(DeriveSigningKey(fresh, kScope).span()));
  EXPECT_EQ(cache.derivations(), 2u);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(SigningKeyCache, StaysWithinItsCapacity) {
  SigningKeyCache cache(3);
  const SecretBytes secret = Secret("secret");
  for (int i = 0; i < 10; ++i) {
    (void)cache.Get("AKID" + std::to_string(i), secret, kScope);
    EXPECT_LE(cache.size(), 3u);
  }
}

}  // namespace
}  // namespace envelope::kms::protocol
