// Signatures: RSASSA-PSS (salt length = digest length, as AWS KMS uses), RSASSA-PKCS1-v1_5 and
// ECDSA with DER signatures, plus the fixed-length ECDSA form of the AWS Encryption SDKs.
#include <openssl/ec.h>
#include <openssl/rsa.h>

#include "crypto/asymmetric_internal.h"

namespace envelope::crypto {

using internal::OpensslError;
using internal::PkeyCtxPtr;

namespace {

bool IsEcdsa(SignatureScheme scheme) {
  return scheme == SignatureScheme::kEcdsaSha256 || scheme == SignatureScheme::kEcdsaSha384 ||
         scheme == SignatureScheme::kEcdsaSha512;
}

bool IsPss(SignatureScheme scheme) {
  return scheme == SignatureScheme::kRsaPssSha256 || scheme == SignatureScheme::kRsaPssSha384 ||
         scheme == SignatureScheme::kRsaPssSha512;
}

// Checks that `scheme` fits the key and the digest length, then sets the digest and padding on
// a context already initialised for signing or verifying.
Status Configure(EVP_PKEY_CTX* ctx, const KeyImpl& key, SignatureScheme scheme, ByteView digest) {
  if (IsEcdsa(scheme) == key.is_rsa()) {
    return InvalidArgument("signature scheme does not match the key type");
  }
  const HashAlg alg = SchemeHash(scheme);
  if (digest.size() != DigestSize(alg)) {
    return InvalidArgument("digest length does not match the signature scheme");
  }
  if (EVP_PKEY_CTX_set_signature_md(ctx, internal::Md(alg)) != 1) {
    return OpensslError(Code::kInternal, "setting the signature digest failed");
  }
  if (key.is_rsa()) {
    const int pad = IsPss(scheme) ? RSA_PKCS1_PSS_PADDING : RSA_PKCS1_PADDING;
    if (EVP_PKEY_CTX_set_rsa_padding(ctx, pad) != 1 ||
        (IsPss(scheme) &&
         (EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RSA_PSS_SALTLEN_DIGEST) != 1 ||
          EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, internal::Md(alg)) != 1))) {
      return OpensslError(Code::kInternal, "setting the RSA signature padding failed");
    }
  }
  return OkStatus();
}

using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, internal::Deleter<ECDSA_SIG_free>>;

// Re-encodes the DER ECDSA signature `sig` with s replaced by n - s (equally valid: (r, -s)
// verifies whenever (r, s) does). Empty on a parse failure.
Bytes NegateS(const EC_GROUP* group, ByteView sig) {
  const unsigned char* p = sig.data();
  EcdsaSigPtr parsed(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size())));
  if (parsed == nullptr) {
    return {};
  }
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(parsed.get(), &r, &s);
  BIGNUM* new_r = BN_dup(r);
  BIGNUM* new_s = BN_new();
  if (new_r == nullptr || new_s == nullptr ||
      BN_sub(new_s, EC_GROUP_get0_order(group), s) != 1 ||
      ECDSA_SIG_set0(parsed.get(), new_r, new_s) != 1) {
    BN_free(new_r);
    BN_free(new_s);
    return {};
  }
  unsigned char* der = nullptr;
  const int len = i2d_ECDSA_SIG(parsed.get(), &der);
  if (len <= 0) {
    return {};
  }
  Bytes out(der, der + len);
  OPENSSL_free(der);
  return out;
}

}  // namespace

HashAlg SchemeHash(SignatureScheme scheme) {
  switch (scheme) {
    case SignatureScheme::kRsaPssSha256:
    case SignatureScheme::kRsaPkcs1Sha256:
    case SignatureScheme::kEcdsaSha256:
      return HashAlg::kSha256;
    case SignatureScheme::kRsaPssSha384:
    case SignatureScheme::kRsaPkcs1Sha384:
    case SignatureScheme::kEcdsaSha384:
      return HashAlg::kSha384;
    case SignatureScheme::kRsaPssSha512:
    case SignatureScheme::kRsaPkcs1Sha512:
    case SignatureScheme::kEcdsaSha512:
      return HashAlg::kSha512;
  }
  return HashAlg::kSha256;
}

Result<Bytes> PrivateKey::SignDigest(SignatureScheme scheme, ByteView digest) const {
  ENVELOPE_ASSIGN_OR_RETURN(PkeyCtxPtr ctx, internal::NewOpContext(*impl_));
  if (EVP_PKEY_sign_init(ctx.get()) != 1) {
    return OpensslError(Code::kInternal, "sign: init failed");
  }
  ENVELOPE_RETURN_IF_ERROR(Configure(ctx.get(), *impl_, scheme, digest));
  std::size_t len = 0;
  if (EVP_PKEY_sign(ctx.get(), nullptr, &len, digest.data(), digest.size()) != 1) {
    return OpensslError(Code::kInternal, "sign: size query failed");
  }
  Bytes sig(len);
  if (EVP_PKEY_sign(ctx.get(), sig.data(), &len, digest.data(), digest.size()) != 1) {
    return OpensslError(Code::kInternal, "sign failed");
  }
  sig.resize(len);
  return sig;
}

Result<Bytes> PrivateKey::Sign(SignatureScheme scheme, ByteView message) const {
  return SignDigest(scheme, Digest(SchemeHash(scheme), message));
}

Status PublicKey::VerifyDigest(SignatureScheme scheme, ByteView digest,
                               ByteView signature) const {
  ENVELOPE_ASSIGN_OR_RETURN(PkeyCtxPtr ctx, internal::NewOpContext(*impl_));
  if (EVP_PKEY_verify_init(ctx.get()) != 1) {
    return OpensslError(Code::kInternal, "verify: init failed");
  }
  ENVELOPE_RETURN_IF_ERROR(Configure(ctx.get(), *impl_, scheme, digest));
  if (EVP_PKEY_verify(ctx.get(), signature.data(), signature.size(), digest.data(),
                      digest.size()) != 1) {
    internal::ClearOpensslErrors();
    return Corrupt("signature does not verify");
  }
  return OkStatus();
}

Status PublicKey::Verify(SignatureScheme scheme, ByteView message, ByteView signature) const {
  return VerifyDigest(scheme, Digest(SchemeHash(scheme), message), signature);
}

Result<Bytes> SignDigestFixedLength(const PrivateKey& key, EcCurve curve, ByteView digest) {
  // DER SEQUENCE{r, s}: 71 bytes for P-256 and 103 for P-384 is the length when exactly one of
  // r, s needs a leading zero byte and neither is short, which the AWS Encryption SDKs always emit.
  std::size_t want = 0;
  SignatureScheme scheme = SignatureScheme::kEcdsaSha256;
  if (curve == EcCurve::kP256) {
    want = 71;
  } else if (curve == EcCurve::kP384) {
    want = 103;
    scheme = SignatureScheme::kEcdsaSha384;
  } else {
    return InvalidArgument("fixed-length ECDSA is defined for P-256 and P-384 only");
  }
  if (key.impl()->curve != curve) {
    return InvalidArgument("fixed-length ECDSA: key is not on the requested curve");
  }
  internal::EcGroupPtr group(EC_GROUP_new_by_curve_name(internal::CurveNid(curve)));
  if (group == nullptr) {
    return OpensslError(Code::kInternal, "EC setup failed");
  }
  // Each signature fits with probability about 1/2 (one of two ways), so 256 attempts failing
  // means something is broken rather than unlucky.
  for (int attempt = 0; attempt < 256; ++attempt) {
    ENVELOPE_ASSIGN_OR_RETURN(Bytes sig, key.SignDigest(scheme, digest));
    if (sig.size() == want) {
      return sig;
    }
    Bytes negated = NegateS(group.get(), sig);
    if (negated.size() == want) {
      return negated;
    }
  }
  return Internal("fixed-length ECDSA: no signature of the expected length");
}

}  // namespace envelope::crypto
