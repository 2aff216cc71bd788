#include "crypto/asymmetric.h"

#include <gtest/gtest.h>
#include <openssl/encoder.h>

#include <string>
#include <tuple>

#include "core/encoding.h"
#include "crypto/asymmetric_internal.h"

namespace envelope::crypto {
namespace {

// One 2048-bit key per test process: generation is the slow part.
const PrivateKey& Rsa2048() {
  static const PrivateKey key = PrivateKey::GenerateRsa(2048).value();
  return key;
}

const ByteView kMessage = AsBytes("envelope signs this");

// --- RSA encryption -------------------------------------------------------------------------

class RsaPaddingTest : public ::testing::TestWithParam<RsaEncryptionPadding> {};

TEST_P(RsaPaddingTest, EncryptThenDecryptRoundTrips) {
  const Bytes data_key(32, 0x5a);
  Bytes ct = Rsa2048().Public().Encrypt(GetParam(), data_key).value();
  EXPECT_EQ(ct.size(), 256u);
  SecretBytes pt = Rsa2048().Decrypt(GetParam(), ct).value();
  EXPECT_TRUE(pt.Equals(data_key));
}

INSTANTIATE_TEST_SUITE_P(AllPaddings, RsaPaddingTest,
                         ::testing::Values(RsaEncryptionPadding::kPkcs1,
                                           RsaEncryptionPadding::kOaepSha1,
                                           RsaEncryptionPadding::kOaepSha256,
                                           RsaEncryptionPadding::kOaepSha384,
                                           RsaEncryptionPadding::kOaepSha512));

TEST(RsaTest, OaepDecryptReturnsCorruptForTamperedCiphertext) {
  Bytes ct = Rsa2048().Public().Encrypt(RsaEncryptionPadding::kOaepSha256, Bytes(32, 1)).value();
  ct[100] ^= 0x01;
  EXPECT_EQ(Rsa2048().Decrypt(RsaEncryptionPadding::kOaepSha256, ct).status().code(),
            Code::kCorrupt);
}

TEST(RsaTest, OaepDecryptReturnsCorruptUnderTheWrongHash) {
  Bytes ct = Rsa2048().Public().Encrypt(RsaEncryptionPadding::kOaepSha256, Bytes(32, 1)).value();
  EXPECT_EQ(Rsa2048().Decrypt(RsaEncryptionPadding::kOaepSha1, ct).status().code(),
            Code::kCorrupt);
}

TEST(RsaTest, GenerateRejectsUnsupportedSize) {
  EXPECT_EQ(PrivateKey::GenerateRsa(1024).status().code(), Code::kInvalidArgument);
}

// --- Signatures -----------------------------------------------------------------------------

struct SignCase {
  const char* name;
  std::optional<EcCurve> curve;  // empty: the RSA key
  SignatureScheme scheme;
};

const PrivateKey& KeyFor(const SignCase& c) {
  if (!c.curve) {
    return Rsa2048();
  }
  static const PrivateKey keys[] = {
      PrivateKey::GenerateEc(EcCurve::kP256).value(),
      PrivateKey::GenerateEc(EcCurve::kP384).value(),
      PrivateKey::GenerateEc(EcCurve::kP521).value(),
      PrivateKey::GenerateEc(EcCurve::kSecp256k1).value(),
  };
  return keys[static_cast<int>(*c.curve)];
}

class SignatureTest : public ::testing::TestWithParam<SignCase> {};

TEST_P(SignatureTest, SignThenVerifySucceeds) {
  const PrivateKey& key = KeyFor(GetParam());
  Bytes sig = key.Sign(GetParam().scheme, kMessage).value();
  EXPECT_TRUE(key.Public().Verify(GetParam().scheme, kMessage, sig).ok());
}

TEST_P(SignatureTest, SignDigestVerifiesAsMessageSignature) {
  const PrivateKey& key = KeyFor(GetParam());
  const Bytes digest = Digest(SchemeHash(GetParam().scheme), kMessage);
  Bytes sig = key.SignDigest(GetParam().scheme, digest).value();
  EXPECT_TRUE(key.Public().Verify(GetParam().scheme, kMessage, sig).ok());
  EXPECT_TRUE(key.Public().VerifyDigest(GetParam().scheme, digest, sig).ok());
}

TEST_P(SignatureTest, VerifyReturnsCorruptForTamperedSignature) {
  const PrivateKey& key = KeyFor(GetParam());
  Bytes sig = key.Sign(GetParam().scheme, kMessage).value();
  sig[sig.size() - 3] ^= 0x04;
  EXPECT_EQ(key.Public().Verify(GetParam().scheme, kMessage, sig).code(), Code::kCorrupt);
}

TEST_P(SignatureTest, VerifyReturnsCorruptForOtherMessage) {
  const PrivateKey& key = KeyFor(GetParam());
  Bytes sig = key.Sign(GetParam().scheme, kMessage).value();
  EXPECT_EQ(key.Public().Verify(GetParam().scheme, AsBytes("other"), sig).code(), Code::kCorrupt);
}

INSTANTIATE_TEST_SUITE_P(
    AllSchemes, SignatureTest,
    ::testing::Values(SignCase{"RsaPssSha256", {}, SignatureScheme::kRsaPssSha256},
                      SignCase{"RsaPssSha384", {}, SignatureScheme::kRsaPssSha384},
                      SignCase{"RsaPssSha512", {}, SignatureScheme::kRsaPssSha512},
                      SignCase{"RsaPkcs1Sha256", {}, SignatureScheme::kRsaPkcs1Sha256},
                      SignCase{"RsaPkcs1Sha384", {}, SignatureScheme::kRsaPkcs1Sha384},
                      SignCase{"RsaPkcs1Sha512", {}, SignatureScheme::kRsaPkcs1Sha512},
                      SignCase{"P256Sha256", EcCurve::kP256, SignatureScheme::kEcdsaSha256},
                      SignCase{"P384Sha384", EcCurve::kP384, SignatureScheme::kEcdsaSha384},
                      SignCase{"P521Sha512", EcCurve::kP521, SignatureScheme::kEcdsaSha512},
                      SignCase{"Secp256k1Sha256", EcCurve::kSecp256k1,
                               SignatureScheme::kEcdsaSha256}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(SignatureTest, SignRejectsSchemeOfOtherKeyType) {
  EXPECT_EQ(Rsa2048().Sign(SignatureScheme::kEcdsaSha256, kMessage).status().code(),
            Code::kInvalidArgument);
}

TEST(SignatureTest, SignDigestRejectsWrongDigestLength) {
  PrivateKey key = PrivateKey::GenerateEc(EcCurve::kP256).value();
  EXPECT_EQ(key.SignDigest(SignatureScheme::kEcdsaSha256, Bytes(20, 0)).status().code(),
            Code::kInvalidArgument);
}

TEST(SignatureTest, PssSignatureUsesDigestLengthSalt) {
  // With salt length = digest length, two signatures of one message differ (random salt) and a
  // verifier that insists on that salt length accepts them.
  Bytes a = Rsa2048().Sign(SignatureScheme::kRsaPssSha256, kMessage).value();
  Bytes b = Rsa2048().Sign(SignatureScheme::kRsaPssSha256, kMessage).value();
  EXPECT_NE(a, b);
  EXPECT_TRUE(Rsa2048().Public().Verify(SignatureScheme::kRsaPssSha256, kMessage, b).ok());
}

// --- Fixed-length ECDSA ---------------------------------------------------------------------

void ExpectFixedLengths(EcCurve curve, SignatureScheme scheme, std::size_t want) {
  PrivateKey key = PrivateKey::GenerateEc(curve).value();
  PublicKey pub = key.Public();
  for (int i = 0; i < 50; ++i) {
    const Bytes digest = Digest(SchemeHash(scheme), AsBytes("message " + std::to_string(i)));
    Bytes sig = SignDigestFixedLength(key, curve, digest).value();
    ASSERT_EQ(sig.size(), want) << "signature " << i;
    ASSERT_TRUE(pub.VerifyDigest(scheme, digest, sig).ok()) << "signature " << i;
  }
}

TEST(FixedLengthEcdsaTest, P256SignaturesAreAlways71Bytes) {
  ExpectFixedLengths(EcCurve::kP256, SignatureScheme::kEcdsaSha256, 71);
}

TEST(FixedLengthEcdsaTest, P384SignaturesAreAlways103Bytes) {
  ExpectFixedLengths(EcCurve::kP384, SignatureScheme::kEcdsaSha384, 103);
}

TEST(FixedLengthEcdsaTest, RejectsOtherCurves) {
  PrivateKey key = PrivateKey::GenerateEc(EcCurve::kP521).value();
  EXPECT_EQ(SignDigestFixedLength(key, EcCurve::kP521, Bytes(64, 0)).status().code(),
            Code::kInvalidArgument);
}

// --- EC points and scalars ------------------------------------------------------------------

class CurveTest : public ::testing::TestWithParam<EcCurve> {};

TEST_P(CurveTest, CompressedPointRoundTripVerifiesSignature) {
  PrivateKey key = PrivateKey::GenerateEc(GetParam()).value();
  Bytes point = key.Public().CompressedPoint().value();
  EXPECT_EQ(point.size(), 1 + EcScalarBytes(GetParam()));
  EXPECT_TRUE(point[0] == 0x02 || point[0] == 0x03);
  PublicKey pub = PublicKey::FromEcPoint(GetParam(), point).value();
  EXPECT_EQ(pub.CompressedPoint().value(), point);
  Bytes sig = key.Sign(SignatureScheme::kEcdsaSha256, kMessage).value();
  EXPECT_TRUE(pub.Verify(SignatureScheme::kEcdsaSha256, kMessage, sig).ok());
}

TEST_P(CurveTest, EcScalarRoundTripGivesTheSameKey) {
  PrivateKey key = PrivateKey::GenerateEc(GetParam()).value();
  SecretBytes scalar = key.EcScalar().value();
  EXPECT_EQ(scalar.size(), EcScalarBytes(GetParam()));
  PrivateKey again = PrivateKey::FromEcScalar(GetParam(), scalar.span()).value();
  EXPECT_TRUE(again.EcScalar().value().Equals(scalar.span()));
  EXPECT_EQ(again.Public().ToSpkiDer().value(), key.Public().ToSpkiDer().value());
  Bytes sig = again.Sign(SignatureScheme::kEcdsaSha384, kMessage).value();
  EXPECT_TRUE(key.Public().Verify(SignatureScheme::kEcdsaSha384, kMessage, sig).ok());
}

INSTANTIATE_TEST_SUITE_P(AllCurves, CurveTest,
                         ::testing::Values(EcCurve::kP256, EcCurve::kP384, EcCurve::kP521,
                                           EcCurve::kSecp256k1));

TEST(EcKeyTest, ScalarOneGivesTheP256Generator) {
  Bytes one(32, 0);
  one[31] = 1;
  PrivateKey key = PrivateKey::FromEcScalar(EcCurve::kP256, one).value();
  // SEC 2 §2.4.2: G = (6b17d1f2..., 4fe342e2...f5), y odd, hence prefix 03.
  EXPECT_EQ(HexEncode(key.Public().CompressedPoint().value()),
            "036b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296");
}

TEST(EcKeyTest, FromEcScalarRejectsZero) {
  EXPECT_EQ(PrivateKey::FromEcScalar(EcCurve::kP384, Bytes(48, 0)).status().code(),
            Code::kInvalidArgument);
}

TEST(EcKeyTest, FromEcScalarRejectsScalarAboveOrder) {
  EXPECT_EQ(PrivateKey::FromEcScalar(EcCurve::kP256, Bytes(32, 0xff)).status().code(),
            Code::kInvalidArgument);
}

TEST(EcKeyTest, FromEcPointRejectsPointOffTheCurve) {
  Bytes point = PrivateKey::GenerateEc(EcCurve::kP256).value().Public().CompressedPoint().value();
  Bytes uncompressed(65, 0x01);
  uncompressed[0] = 0x04;
  EXPECT_EQ(PublicKey::FromEcPoint(EcCurve::kP256, uncompressed).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(PublicKey::FromEcPoint(EcCurve::kP384, point).status().code(),
            Code::kInvalidArgument);
}

// --- Import and export ----------------------------------------------------------------------

TEST(KeyEncodingTest, Pkcs8PemRoundTripKeepsTheKey) {
  SecretBytes pem = Rsa2048().ToPkcs8Pem().value();
  EXPECT_EQ(AsChars(pem.span()).substr(0, 27), "-----BEGIN PRIVATE KEY-----");
  PrivateKey again = PrivateKey::FromPem(AsChars(pem.span())).value();
  EXPECT_TRUE(again.is_rsa());
  EXPECT_EQ(again.bits(), 2048);
  EXPECT_EQ(again.Public().ToSpkiDer().value(), Rsa2048().Public().ToSpkiDer().value());
}

TEST(KeyEncodingTest, Pkcs8DerRoundTripKeepsTheEcKey) {
  PrivateKey key = PrivateKey::GenerateEc(EcCurve::kP384).value();
  SecretBytes der = key.ToPkcs8Der().value();
  PrivateKey again = PrivateKey::FromPkcs8Der(der.span()).value();
  EXPECT_FALSE(again.is_rsa());
  EXPECT_TRUE(again.EcScalar().value().Equals(key.EcScalar().value().span()));
}

TEST(KeyEncodingTest, PublicPemRoundTripKeepsTheKey) {
  PublicKey pub = PrivateKey::GenerateEc(EcCurve::kP256).value().Public();
  std::string pem = pub.ToPem().value();
  EXPECT_EQ(pem.substr(0, 26), "-----BEGIN PUBLIC KEY-----");
  PublicKey again = PublicKey::FromPem(pem).value();
  EXPECT_EQ(again.CompressedPoint().value(), pub.CompressedPoint().value());
  EXPECT_EQ(PublicKey::FromSpkiDer(pub.ToSpkiDer().value()).value().ToSpkiDer().value(),
            pub.ToSpkiDer().value());
}

TEST(KeyEncodingTest, FromPemAcceptsTraditionalRsaKey) {
  OSSL_ENCODER_CTX* ctx = OSSL_ENCODER_CTX_new_for_pkey(
      Rsa2048().impl()->pkey.get(), EVP_PKEY_KEYPAIR, "PEM", "type-specific", nullptr);
  unsigned char* data = nullptr;
  std::size_t len = 0;
  ASSERT_EQ(OSSL_ENCODER_to_data(ctx, &data, &len), 1);
  OSSL_ENCODER_CTX_free(ctx);
  std::string pem(reinterpret_cast<char*>(data), len);
  OPENSSL_clear_free(data, len);
  ASSERT_EQ(pem.substr(0, 31), "-----BEGIN RSA PRIVATE KEY-----");
  PrivateKey again = PrivateKey::FromPem(pem).value();
  EXPECT_EQ(again.Public().ToSpkiDer().value(), Rsa2048().Public().ToSpkiDer().value());
}

TEST(KeyEncodingTest, FromPemRejectsGarbage) {
  EXPECT_EQ(PrivateKey::FromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
                .status()
                .code(),
            Code::kInvalidArgument);
  EXPECT_EQ(PublicKey::FromPem("not a key").status().code(), Code::kInvalidArgument);
}

TEST(KeyEncodingTest, FromSpkiDerRejectsTrailingBytes) {
  Bytes der = Rsa2048().Public().ToSpkiDer().value();
  der.push_back(0);
  EXPECT_EQ(PublicKey::FromSpkiDer(der).status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace envelope::crypto
