// Key generation, import and export, and EC scalar and point conversion.
#include <openssl/core_names.h>
#include <openssl/encoder.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstring>

#include "crypto/asymmetric_internal.h"

namespace envelope::crypto {

using internal::BnPtr;
using internal::EcGroupPtr;
using internal::EcPointPtr;
using internal::OpensslError;
using internal::ParamBldPtr;
using internal::ParamPtr;
using internal::PkeyCtxPtr;
using internal::PkeyPtr;

namespace {

constexpr EcCurve kAllCurves[] = {EcCurve::kP256, EcCurve::kP384, EcCurve::kP521,
                                  EcCurve::kSecp256k1};

using BioPtr = std::unique_ptr<BIO, internal::Deleter<BIO_free>>;

// Never prompt for a passphrase: an encrypted PEM is rejected as unparsable.
int NoPassphrase(char*, int, int, void*) { return 0; }

Result<EcCurve> CurveOf(const EVP_PKEY* pkey) {
  char name[64] = {};
  std::size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof(name),
                                     &len) != 1) {
    return OpensslError(Code::kInvalidArgument, "EC key without a named curve");
  }
  int nid = OBJ_sn2nid(name);
  if (nid == NID_undef) {
    nid = EC_curve_nist2nid(name);
  }
  for (EcCurve curve : kAllCurves) {
    if (internal::CurveNid(curve) == nid) {
      return curve;
    }
  }
  return InvalidArgument(std::string("unsupported EC curve ") + name);
}

// Wraps a freshly parsed or generated key, accepting only RSA and the supported EC curves.
template <typename Key>
Result<Key> WrapKey(PkeyPtr pkey) {
  auto impl = std::make_shared<typename Key::Impl>();
  if (EVP_PKEY_is_a(pkey.get(), "EC")) {
    ENVELOPE_ASSIGN_OR_RETURN(impl->curve, CurveOf(pkey.get()));
  } else if (!EVP_PKEY_is_a(pkey.get(), "RSA")) {
    return InvalidArgument("unsupported key type (want RSA or EC)");
  }
  impl->pkey = std::move(pkey);
  return Key(std::move(impl));
}

// Encodes `pkey` with OSSL_ENCODER; the output buffer is wiped before it is freed.
Result<SecretBytes> Encode(const EVP_PKEY* pkey, int selection, const char* type,
                           const char* structure) {
  OSSL_ENCODER_CTX* ctx = OSSL_ENCODER_CTX_new_for_pkey(pkey, selection, type, structure, nullptr);
  if (ctx == nullptr || OSSL_ENCODER_CTX_get_num_encoders(ctx) == 0) {
    OSSL_ENCODER_CTX_free(ctx);
    return OpensslError(Code::kInternal, "no key encoder available");
  }
  unsigned char* data = nullptr;
  std::size_t len = 0;
  const int ok = OSSL_ENCODER_to_data(ctx, &data, &len);
  OSSL_ENCODER_CTX_free(ctx);
  if (ok != 1) {
    return OpensslError(Code::kInternal, "key encoding failed");
  }
  SecretBytes out(ByteView(data, len));
  OPENSSL_clear_free(data, len);
  return out;
}

Result<PkeyPtr> FromParams(const OSSL_PARAM* params, int selection) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* pkey = nullptr;
  if (ctx == nullptr || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &pkey, selection, const_cast<OSSL_PARAM*>(params)) != 1) {
    return OpensslError(Code::kInvalidArgument, "EC key import failed");
  }
  return PkeyPtr(pkey);
}

Result<Bytes> PointBytes(const EC_GROUP* group, const EC_POINT* point) {
  const std::size_t len =
      EC_POINT_point2oct(group, point, POINT_CONVERSION_UNCOMPRESSED, nullptr, 0, nullptr);
  Bytes out(len);
  if (len == 0 || EC_POINT_point2oct(group, point, POINT_CONVERSION_UNCOMPRESSED, out.data(),
                                     out.size(), nullptr) != len) {
    return OpensslError(Code::kInternal, "EC point encoding failed");
  }
  return out;
}

}  // namespace

namespace internal {

int CurveNid(EcCurve curve) {
  switch (curve) {
    case EcCurve::kP256:
      return NID_X9_62_prime256v1;
    case EcCurve::kP384:
      return NID_secp384r1;
    case EcCurve::kP521:
      return NID_secp521r1;
    case EcCurve::kSecp256k1:
      return NID_secp256k1;
  }
  return NID_undef;
}

Result<PkeyCtxPtr> NewOpContext(const KeyImpl& key) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key.pkey.get(), nullptr));
  if (ctx == nullptr) {
    return OpensslError(Code::kInternal, "EVP_PKEY_CTX_new_from_pkey failed");
  }
  return ctx;
}

}  // namespace internal

std::size_t EcScalarBytes(EcCurve curve) {
  switch (curve) {
    case EcCurve::kP256:
    case EcCurve::kSecp256k1:
      return 32;
    case EcCurve::kP384:
      return 48;
    case EcCurve::kP521:
      return 66;
  }
  return 0;
}

Result<PrivateKey> PrivateKey::GenerateRsa(int bits) {
  if (bits != 2048 && bits != 3072 && bits != 4096) {
    return InvalidArgument("RSA key size must be 2048, 3072 or 4096 bits");
  }
  PkeyPtr pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(bits)));
  if (pkey == nullptr) {
    return OpensslError(Code::kInternal, "RSA key generation failed");
  }
  return WrapKey<PrivateKey>(std::move(pkey));
}

Result<PrivateKey> PrivateKey::GenerateEc(EcCurve curve) {
  PkeyPtr pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", OBJ_nid2sn(internal::CurveNid(curve))));
  if (pkey == nullptr) {
    return OpensslError(Code::kInternal, "EC key generation failed");
  }
  return WrapKey<PrivateKey>(std::move(pkey));
}

Result<PrivateKey> PrivateKey::FromPem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  PkeyPtr pkey(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr)
                   : nullptr);
  if (pkey == nullptr) {
    return OpensslError(Code::kInvalidArgument, "unparsable private key PEM");
  }
  return WrapKey<PrivateKey>(std::move(pkey));
}

Result<PrivateKey> PrivateKey::FromPkcs8Der(ByteView der) {
  const unsigned char* p = der.data();
  PkeyPtr pkey(d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(der.size())));
  if (pkey == nullptr || p != der.data() + der.size()) {
    return OpensslError(Code::kInvalidArgument, "unparsable PKCS#8 private key");
  }
  return WrapKey<PrivateKey>(std::move(pkey));
}

Result<PrivateKey> PrivateKey::FromEcScalar(EcCurve curve, ByteView scalar,
                                            ByteView public_point) {
  const int nid = internal::CurveNid(curve);
  EcGroupPtr group(EC_GROUP_new_by_curve_name(nid));
  BnPtr d(BN_secure_new());  // the param builder keeps secure BNs in wiped memory
  if (group == nullptr || d == nullptr) {
    return OpensslError(Code::kInternal, "EC setup failed");
  }
  if (scalar.empty() || scalar.size() > EcScalarBytes(curve) ||
      BN_bin2bn(scalar.data(), static_cast<int>(scalar.size()), d.get()) == nullptr ||
      BN_is_zero(d.get()) || BN_cmp(d.get(), EC_GROUP_get0_order(group.get())) >= 0) {
    return InvalidArgument("EC private scalar out of range");
  }
  BN_set_flags(d.get(), BN_FLG_CONSTTIME);
  EcPointPtr q(EC_POINT_new(group.get()));
  if (q == nullptr) return OpensslError(Code::kInternal, "EC setup failed");
  // The caller may know the public point already (it travels with the message); decoding it is
  // far cheaper than the scalar multiplication that derives it.
  const bool derive = public_point.empty();
  if (derive ? EC_POINT_mul(group.get(), q.get(), d.get(), nullptr, nullptr, nullptr) != 1
             : EC_POINT_oct2point(group.get(), q.get(), public_point.data(), public_point.size(),
                                  nullptr) != 1) {
    return derive ? OpensslError(Code::kInternal, "EC public point derivation failed")
                  : InvalidArgument("EC public point is not on the curve");
  }
  ENVELOPE_ASSIGN_OR_RETURN(Bytes pub, PointBytes(group.get(), q.get()));
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (bld == nullptr ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, OBJ_nid2sn(nid),
                                      0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, pub.data(),
                                       pub.size()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()) != 1) {
    return OpensslError(Code::kInternal, "EC parameter building failed");
  }
  ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  if (params == nullptr) {
    return OpensslError(Code::kInternal, "EC parameter building failed");
  }
  ENVELOPE_ASSIGN_OR_RETURN(PkeyPtr pkey, FromParams(params.get(), EVP_PKEY_KEYPAIR));
  return WrapKey<PrivateKey>(std::move(pkey));
}

bool PrivateKey::is_rsa() const { return impl_->is_rsa(); }
int PrivateKey::bits() const { return EVP_PKEY_get_bits(impl_->pkey.get()); }

Result<SecretBytes> PrivateKey::ToPkcs8Der() const {
  return Encode(impl_->pkey.get(), EVP_PKEY_KEYPAIR, "DER", "PrivateKeyInfo");
}

Result<SecretBytes> PrivateKey::ToPkcs8Pem() const {
  return Encode(impl_->pkey.get(), EVP_PKEY_KEYPAIR, "PEM", "PrivateKeyInfo");
}

Result<SecretBytes> PrivateKey::EcScalar() const {
  if (impl_->is_rsa()) {
    return InvalidArgument("EcScalar: not an EC key");
  }
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(impl_->pkey.get(), OSSL_PKEY_PARAM_PRIV_KEY, &raw) != 1) {
    return OpensslError(Code::kInternal, "reading the EC private scalar failed");
  }
  BnPtr d(raw);
  SecretBytes out(EcScalarBytes(*impl_->curve));
  if (BN_bn2binpad(d.get(), out.data(), static_cast<int>(out.size())) < 0) {
    return Internal("EC private scalar longer than the curve order");
  }
  return out;
}

PublicKey PrivateKey::Public() const {
  // The public half shares the EVP_PKEY: its methods only ever use the public components.
  auto impl = std::make_shared<PublicKey::Impl>();
  internal::CheckOpenssl(EVP_PKEY_up_ref(impl_->pkey.get()) == 1, "EVP_PKEY_up_ref");
  impl->pkey.reset(impl_->pkey.get());
  impl->curve = impl_->curve;
  return PublicKey(std::move(impl));
}

Result<PublicKey> PublicKey::FromPem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  PkeyPtr pkey(bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, NoPassphrase, nullptr) : nullptr);
  if (pkey == nullptr) {
    return OpensslError(Code::kInvalidArgument, "unparsable public key PEM");
  }
  return WrapKey<PublicKey>(std::move(pkey));
}

Result<PublicKey> PublicKey::FromSpkiDer(ByteView der) {
  const unsigned char* p = der.data();
  PkeyPtr pkey(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
  if (pkey == nullptr || p != der.data() + der.size()) {
    return OpensslError(Code::kInvalidArgument, "unparsable SubjectPublicKeyInfo");
  }
  return WrapKey<PublicKey>(std::move(pkey));
}

Result<PublicKey> PublicKey::FromEcPoint(EcCurve curve, ByteView point) {
  const int nid = internal::CurveNid(curve);
  EcGroupPtr group(EC_GROUP_new_by_curve_name(nid));
  EcPointPtr q(group ? EC_POINT_new(group.get()) : nullptr);
  if (q == nullptr) {
    return OpensslError(Code::kInternal, "EC setup failed");
  }
  // oct2point rejects points off the curve (and compressed x with no square root).
  if (point.empty() ||
      EC_POINT_oct2point(group.get(), q.get(), point.data(), point.size(), nullptr) != 1 ||
      EC_POINT_is_at_infinity(group.get(), q.get())) {
    return OpensslError(Code::kInvalidArgument, "invalid EC point");
  }
  ENVELOPE_ASSIGN_OR_RETURN(Bytes pub, PointBytes(group.get(), q.get()));
  const char* group_name = OBJ_nid2sn(nid);
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
                                       const_cast<char*>(group_name), 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, pub.data(), pub.size()),
      OSSL_PARAM_construct_end()};
  ENVELOPE_ASSIGN_OR_RETURN(PkeyPtr pkey, FromParams(params, EVP_PKEY_PUBLIC_KEY));
  return WrapKey<PublicKey>(std::move(pkey));
}

bool PublicKey::is_rsa() const { return impl_->is_rsa(); }
int PublicKey::bits() const { return EVP_PKEY_get_bits(impl_->pkey.get()); }

Result<Bytes> PublicKey::ToSpkiDer() const {
  ENVELOPE_ASSIGN_OR_RETURN(SecretBytes der, Encode(impl_->pkey.get(), EVP_PKEY_PUBLIC_KEY,
                                                    "DER", "SubjectPublicKeyInfo"));
  return Bytes(der.span().begin(), der.span().end());
}

Result<std::string> PublicKey::ToPem() const {
  ENVELOPE_ASSIGN_OR_RETURN(SecretBytes pem, Encode(impl_->pkey.get(), EVP_PKEY_PUBLIC_KEY,
                                                    "PEM", "SubjectPublicKeyInfo"));
  return std::string(AsChars(pem.span()));
}

Result<Bytes> PublicKey::CompressedPoint() const {
  if (impl_->is_rsa()) {
    return InvalidArgument("CompressedPoint: not an EC key");
  }
  // 1 + 2 * 66 bytes covers an uncompressed P-521 point.
  std::uint8_t buf[1 + 2 * 66];
  std::size_t len = 0;
  if (EVP_PKEY_get_octet_string_param(impl_->pkey.get(), OSSL_PKEY_PARAM_PUB_KEY, buf,
                                      sizeof(buf), &len) != 1 || len == 0) {
    return OpensslError(Code::kInternal, "reading the EC public point failed");
  }
  const std::size_t field = EcScalarBytes(*impl_->curve);
  if ((buf[0] == 0x02 || buf[0] == 0x03) && len == 1 + field) {
    return Bytes(buf, buf + len);  // the key was imported compressed and reports it that way
  }
  if (buf[0] != 0x04 || len != 1 + 2 * field) {
    return Internal("unexpected EC public point encoding");
  }
  // SEC1 §2.3.3: 0x02 | (y mod 2), then x.
  Bytes out(buf, buf + 1 + field);
  out[0] = static_cast<std::uint8_t>(0x02 | (buf[len - 1] & 1));
  return out;
}

}  // namespace envelope::crypto
