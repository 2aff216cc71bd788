// RSA encryption: PKCS#1 v1.5 and OAEP (MGF1 with the OAEP hash, empty label).
#include <openssl/rsa.h>

#include "crypto/asymmetric_internal.h"

namespace envelope::crypto {

using internal::OpensslError;
using internal::PkeyCtxPtr;

namespace {

// Sets the padding (and for OAEP the digest and MGF1 digest) on an initialised context.
Status SetPadding(EVP_PKEY_CTX* ctx, RsaEncryptionPadding padding) {
  if (padding == RsaEncryptionPadding::kPkcs1) {
    if (EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) != 1) {
      return OpensslError(Code::kInternal, "RSA: setting PKCS#1 padding failed");
    }
    return OkStatus();
  }
  HashAlg alg = HashAlg::kSha1;
  switch (padding) {
    case RsaEncryptionPadding::kOaepSha256:
      alg = HashAlg::kSha256;
      break;
    case RsaEncryptionPadding::kOaepSha384:
      alg = HashAlg::kSha384;
      break;
    case RsaEncryptionPadding::kOaepSha512:
      alg = HashAlg::kSha512;
      break;
    default:
      break;
  }
  const EVP_MD* md = internal::Md(alg);
  if (EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) != 1 ||
      EVP_PKEY_CTX_set_rsa_oaep_md(ctx, md) != 1 || EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) != 1) {
    return OpensslError(Code::kInternal, "RSA: setting OAEP padding failed");
  }
  return OkStatus();
}

}  // namespace

Result<Bytes> PublicKey::Encrypt(RsaEncryptionPadding padding, ByteView plaintext) const {
  if (!impl_->is_rsa()) {
    return InvalidArgument("RSA encrypt: not an RSA key");
  }
  ENVELOPE_ASSIGN_OR_RETURN(PkeyCtxPtr ctx, internal::NewOpContext(*impl_));
  if (EVP_PKEY_encrypt_init(ctx.get()) != 1) {
    return OpensslError(Code::kInternal, "RSA encrypt: init failed");
  }
  ENVELOPE_RETURN_IF_ERROR(SetPadding(ctx.get(), padding));
  std::size_t len = 0;
  if (EVP_PKEY_encrypt(ctx.get(), nullptr, &len, plaintext.data(), plaintext.size()) != 1) {
    return OpensslError(Code::kInternal, "RSA encrypt: size query failed");
  }
  Bytes out(len);
  if (EVP_PKEY_encrypt(ctx.get(), out.data(), &len, plaintext.data(), plaintext.size()) != 1) {
    // The only input-dependent failure: the plaintext is too long for the key and padding.
    return OpensslError(Code::kInvalidArgument, "RSA encrypt failed (plaintext too long?)");
  }
  out.resize(len);
  return out;
}

Result<SecretBytes> PrivateKey::Decrypt(RsaEncryptionPadding padding, ByteView ciphertext) const {
  if (!impl_->is_rsa()) {
    return InvalidArgument("RSA decrypt: not an RSA key");
  }
  ENVELOPE_ASSIGN_OR_RETURN(PkeyCtxPtr ctx, internal::NewOpContext(*impl_));
  if (EVP_PKEY_decrypt_init(ctx.get()) != 1) {
    return OpensslError(Code::kInternal, "RSA decrypt: init failed");
  }
  ENVELOPE_RETURN_IF_ERROR(SetPadding(ctx.get(), padding));
  std::size_t len = 0;
  if (EVP_PKEY_decrypt(ctx.get(), nullptr, &len, ciphertext.data(), ciphertext.size()) != 1) {
    internal::ClearOpensslErrors();
    return Corrupt("RSA decrypt failed");
  }
  SecretBytes out(len);
  if (EVP_PKEY_decrypt(ctx.get(), out.data(), &len, ciphertext.data(), ciphertext.size()) != 1) {
    // One uniform message: the reason (padding, length) must not become an oracle.
    internal::ClearOpensslErrors();
    return Corrupt("RSA decrypt failed");
  }
  SecretBytes result(out.span().first(len));
  return result;
}

}  // namespace envelope::crypto
