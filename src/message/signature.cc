#include "message/signature.h"

namespace envelope::message {

namespace {
crypto::EcCurve Curve(const format::SuiteInfo& suite) {
  return suite.signing == format::Signing::kEcdsaP256Sha256 ? crypto::EcCurve::kP256
                                                            : crypto::EcCurve::kP384;
}
crypto::SignatureScheme Scheme(const format::SuiteInfo& suite) {
  return suite.signing == format::Signing::kEcdsaP256Sha256 ? crypto::SignatureScheme::kEcdsaSha256
                                                            : crypto::SignatureScheme::kEcdsaSha384;
}
}  // namespace

std::optional<crypto::Hasher> SignatureHasher(const format::SuiteInfo& suite) {
  if (!suite.signs()) return std::nullopt;
  return crypto::Hasher(crypto::SchemeHash(Scheme(suite)));
}

Result<Bytes> SignFooter(const format::SuiteInfo& suite, const SecretBytes& private_scalar,
                         ByteView public_key, ByteView digest) {
  ENVELOPE_ASSIGN_OR_RETURN(crypto::PrivateKey key, crypto::PrivateKey::FromEcScalar(
                                                        Curve(suite), private_scalar.span(),
                                                        public_key));
  return crypto::SignDigestFixedLength(key, Curve(suite), digest);
}

Status VerifyFooter(const format::SuiteInfo& suite, ByteView public_key, ByteView digest,
                    ByteView signature) {
  auto key = crypto::PublicKey::FromEcPoint(Curve(suite), public_key);
  if (!key.ok()) return Corrupt("the message's signature verification key is invalid");
  if (!key->VerifyDigest(Scheme(suite), digest, signature).ok()) {
    return Corrupt("signature verification failed");
  }
  return OkStatus();
}

}  // namespace envelope::message
