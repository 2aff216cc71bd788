#pragma once
// RSA and elliptic-curve keys over OpenSSL 3 EVP_PKEY: generation, import and export, RSA
// encryption with PKCS#1 v1.5 and OAEP, and signatures (RSASSA-PSS, RSASSA-PKCS1-v1_5, ECDSA).
// Used by the raw RSA keyring, the message signature footer, and the local KMS.
//
// Keys are immutable and thread-safe after creation; copies share the underlying key.
#include <memory>
#include <string>
#include <string_view>

#include "core/bytes.h"
#include "crypto/hash.h"
#include "envelope/secret_bytes.h"

namespace envelope::crypto {

enum class EcCurve { kP256, kP384, kP521, kSecp256k1 };
enum class RsaEncryptionPadding { kPkcs1, kOaepSha1, kOaepSha256, kOaepSha384, kOaepSha512 };
enum class SignatureScheme {
  kRsaPssSha256, kRsaPssSha384, kRsaPssSha512,
  kRsaPkcs1Sha256, kRsaPkcs1Sha384, kRsaPkcs1Sha512,
  kEcdsaSha256, kEcdsaSha384, kEcdsaSha512,
};
HashAlg SchemeHash(SignatureScheme scheme);
std::size_t EcScalarBytes(EcCurve curve);  // 32, 48, 66, 32

class PublicKey;

class PrivateKey {
 public:
  static Result<PrivateKey> GenerateRsa(int bits);
  static Result<PrivateKey> GenerateEc(EcCurve curve);
  // PEM: PKCS#8 ("PRIVATE KEY") or traditional RSA/EC. kInvalidArgument when unparsable.
  static Result<PrivateKey> FromPem(std::string_view pem);
  static Result<PrivateKey> FromPkcs8Der(ByteView der);
  // An EC key from its big-endian private scalar. `public_point` (SEC1, compressed or not), when
  // given, must be the scalar's point: it saves deriving it.
  static Result<PrivateKey> FromEcScalar(EcCurve curve, ByteView scalar,
                                         ByteView public_point = {});

  bool is_rsa() const;
  int bits() const;
  Result<SecretBytes> ToPkcs8Der() const;
  Result<SecretBytes> ToPkcs8Pem() const;
  // The EC private scalar, left-padded to EcScalarBytes(curve).
  Result<SecretBytes> EcScalar() const;
  PublicKey Public() const;

  // kCorrupt when the ciphertext does not decrypt under this key and padding.
  Result<SecretBytes> Decrypt(RsaEncryptionPadding padding, ByteView ciphertext) const;
  // Signs a digest already computed with SchemeHash(scheme). DER signature for ECDSA.
  Result<Bytes> SignDigest(SignatureScheme scheme, ByteView digest) const;
  Result<Bytes> Sign(SignatureScheme scheme, ByteView message) const;

  struct Impl;
  explicit PrivateKey(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
  const std::shared_ptr<Impl>& impl() const { return impl_; }

 private:
  std::shared_ptr<Impl> impl_;
};

class PublicKey {
 public:
  static Result<PublicKey> FromPem(std::string_view pem);       // SPKI "PUBLIC KEY"
  static Result<PublicKey> FromSpkiDer(ByteView der);
  // SEC1 compressed (or uncompressed) point on `curve`.
  static Result<PublicKey> FromEcPoint(EcCurve curve, ByteView point);

  bool is_rsa() const;
  int bits() const;
  Result<Bytes> ToSpkiDer() const;
  Result<std::string> ToPem() const;
  // SEC1 §2.3.3 compressed point (02/03 prefix).
  Result<Bytes> CompressedPoint() const;

  Result<Bytes> Encrypt(RsaEncryptionPadding padding, ByteView plaintext) const;
  // OK when valid; kCorrupt when the signature does not verify.
  Status VerifyDigest(SignatureScheme scheme, ByteView digest, ByteView signature) const;
  Status Verify(SignatureScheme scheme, ByteView message, ByteView signature) const;

  struct Impl;
  explicit PublicKey(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
  const std::shared_ptr<Impl>& impl() const { return impl_; }

 private:
  std::shared_ptr<Impl> impl_;
};

// ECDSA with the fixed DER lengths the AWS Encryption SDKs emit (71 bytes for P-256, 103 for
// P-384): re-signs (or uses n - s) until the DER signature has that length.
Result<Bytes> SignDigestFixedLength(const PrivateKey& key, EcCurve curve, ByteView digest);

}  // namespace envelope::crypto
