// KmsService: asymmetric keys — Sign, Verify, GetPublicKey, GenerateDataKeyPair(+WithoutPlaintext).
#include "core/encoding.h"
#include "crypto/asymmetric.h"
#include "kms/api/errors.h"
#include "kms/server/kms_service.h"
#include "kms/server/service_internal.h"

namespace envelope::kms::server {
namespace {

const std::vector<std::string_view> kSigningAlgorithms = {
    "RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512",
    "RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
    "ECDSA_SHA_256", "ECDSA_SHA_384", "ECDSA_SHA_512", "SM2DSA", "ML_DSA_SHAKE_256",
    "ED25519_SHA_512", "ED25519_PH_SHA_512"};
const std::vector<std::string_view> kKeyPairSpecs = {
    "RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521",
    "ECC_SECG_P256K1", "SM2", "ECC_NIST_EDWARDS25519"};

struct SignInput {
  std::string key_id;
  Bytes message;
  bool digest = false;
  std::string algorithm;
  crypto::SignatureScheme scheme{};
};

Result<SignInput> ReadSignInput(const RequestReader& r) {
  SignInput in;
  ENVELOPE_ASSIGN_OR_RETURN(in.key_id, r.String("KeyId", 1, 2048));
  ENVELOPE_ASSIGN_OR_RETURN(in.message, r.Blob("Message", 1, 4096));
  ENVELOPE_ASSIGN_OR_RETURN(auto type, r.OptEnum("MessageType", {"RAW", "DIGEST", "EXTERNAL_MU"}));
  ENVELOPE_ASSIGN_OR_RETURN(auto alg, r.OptEnum("SigningAlgorithm", kSigningAlgorithms));
  ENVELOPE_RETURN_IF_ERROR(r.GrantTokens().status());
  if (!alg) return ValidationErrorNull("SigningAlgorithm");
  if (type && *type == "EXTERNAL_MU") {
    return UnsupportedOperationError("MessageType EXTERNAL_MU is not supported by this server.");
  }
  in.digest = type && *type == "DIGEST";
  in.algorithm = *alg;
  return in;
}

// Checks the key can sign with the algorithm, and a DIGEST message has the digest's length.
Status CheckSigning(const KmsService::Resolved& k, SignInput& in) {
  if (k.key->key_usage != "SIGN_VERIFY") {
    return InvalidKeyUsageError(k.arn + " key usage is " + k.key->key_usage +
                                " which is not valid for signing.");
  }
  bool supported = false;
  for (const std::string& a : SigningAlgorithmsFor(*k.spec, k.key->key_usage)) {
    supported = supported || a == in.algorithm;
  }
  auto scheme = SigningScheme(in.algorithm);
  if (!supported || !scheme) {
    return InvalidKeyUsageError("Algorithm " + in.algorithm + " is incompatible with key spec " +
                                k.key->key_spec + ".");
  }
  in.scheme = *scheme;
  if (in.digest && in.message.size() != crypto::DigestSize(crypto::SchemeHash(*scheme))) {
    return ValidationError("Digest is invalid length for algorithm " + in.algorithm + ".");
  }
  return OkStatus();
}

Result<crypto::PrivateKey> PrivateKeyOf(const KmsService::Resolved& k) {
  auto key = crypto::PrivateKey::FromPkcs8Der(k.key->current().secret.span());
  if (!key.ok()) return KmsInternalError("stored key material does not parse");
  return key;
}

Status RequireAsymmetric(const KmsService::Resolved& k, std::string_view op) {
  if (k.spec->family == KeyFamily::kRsa || k.spec->family == KeyFamily::kEcc) return OkStatus();
  return UnsupportedOperationError(k.arn + " key usage is " + k.key->key_usage + " with key spec " +
                                   k.key->key_spec + ", which is not valid for " +
                                   std::string(op) + ".");
}

}  // namespace

Result<Json> KmsService::Sign(const Caller& c, const Json& body) {
  RequestReader r(body);
  ENVELOPE_ASSIGN_OR_RETURN(SignInput in, ReadSignInput(r));
  ENVELOPE_ASSIGN_OR_RETURN(Resolved k, ResolveKey(c, in.key_id, {"Sign", true}));
  ENVELOPE_RETURN_IF_ERROR(RequireEnabled(k));
  ENVELOPE_RETURN_IF_ERROR(CheckSigning(k, in));
  ENVELOPE_ASSIGN_OR_RETURN(crypto::PrivateKey key, PrivateKeyOf(k));
  ENVELOPE_ASSIGN_OR_RETURN(Bytes sig, in.digest ? key.SignDigest(in.scheme, in.message)
                                                 : key.Sign(in.scheme, in.message));
  return Json{{"KeyId", k.arn}, {"Signature", Base64Encode(sig)},
              {"SigningAlgorithm", in.algorithm}};
}

Result<Json> KmsService::Verify(const Caller& c, const Json& body) {
  RequestReader r(body);
  ENVELOPE_ASSIGN_OR_RETURN(SignInput in, ReadSignInput(r));
  ENVELOPE_ASSIGN_OR_RETURN(Bytes signature, r.Blob("Signature", 1, 6144));
  ENVELOPE_ASSIGN_OR_RETURN(Resolved k, ResolveKey(c, in.key_id, {"Verify", true}));
  ENVELOPE_RETURN_IF_ERROR(RequireEnabled(k));
  ENVELOPE_RETURN_IF_ERROR(CheckSigning(k, in));
  ENVELOPE_ASSIGN_OR_RETURN(crypto::PrivateKey key, PrivateKeyOf(k));
  crypto::PublicKey pub = key.Public();
  Status ok = in.digest ? pub.VerifyDigest(in.scheme, in.message, signature)
                        : pub.Verify(in.scheme, in.message, signature);
  if (!ok.ok()) return InvalidSignatureError("");
  return Json{{"KeyId", k.arn}, {"SignatureValid", true}, {"SigningAlgorithm", in.algorithm}};
}

Result<Json> KmsService::GetPublicKey(const Caller& c, const Json& body) {
  RequestReader r(body);
  ENVELOPE_ASSIGN_OR_RETURN(std::string key_id, r.String("KeyId", 1, 2048));
  ENVELOPE_RETURN_IF_ERROR(r.GrantTokens().status());
  ENVELOPE_ASSIGN_OR_RETURN(Resolved k, ResolveKey(c, key_id, {"GetPublicKey", true}));
  ENVELOPE_RETURN_IF_ERROR(RequireEnabled(k));
  ENVELOPE_RETURN_IF_ERROR(RequireAsymmetric(k, "GetPublicKey"));
  ENVELOPE_ASSIGN_OR_RETURN(crypto::PrivateKey key, PrivateKeyOf(k));
  ENVELOPE_ASSIGN_OR_RETURN(Bytes spki, key.Public().ToSpkiDer());
  Json out = {{"KeyId", k.arn},       {"PublicKey", Base64Encode(spki)},
              {"KeySpec", k.key->key_spec}, {"CustomerMasterKeySpec", k.key->key_spec},
              {"KeyUsage", k.key->key_usage}};
  auto enc = EncryptionAlgorithmsFor(*k.spec, k.key->key_usage);
  auto sig = SigningAlgorithmsFor(*k.spec, k.key->key_usage);
  if (!enc.empty()) out["EncryptionAlgorithms"] = enc;
  if (!sig.empty()) out["SigningAlgorithms"] = sig;
  return out;
}

Result<Json> KmsService::MakeDataKeyPair(const Caller& c, const Json& body,
                                         std::string_view action, bool with_plaintext) {
  RequestReader r(body);
  ENVELOPE_ASSIGN_OR_RETURN(std::string key_id, r.String("KeyId", 1, 2048));
  ENVELOPE_ASSIGN_OR_RETURN(auto pair_spec, r.OptEnum("KeyPairSpec", kKeyPairSpecs));
  ENVELOPE_ASSIGN_OR_RETURN(EncryptionContext context, r.StringMap("EncryptionContext"));
  ENVELOPE_RETURN_IF_ERROR(r.GrantTokens().status());
  if (!pair_spec) return ValidationErrorNull("KeyPairSpec");
  const KeySpecInfo* spec = FindKeySpec(*pair_spec);
  if (spec == nullptr) {
    return UnsupportedOperationError("KeyPairSpec " + *pair_spec + " is not supported by this server.");
  }
  ENVELOPE_ASSIGN_OR_RETURN(Resolved k, ResolveKey(c, key_id, {action, true, &context}));
  ENVELOPE_RETURN_IF_ERROR(RequireEnabled(k));
  if (k.spec->family != KeyFamily::kSymmetric) {
    return InvalidKeyUsageError(k.arn + " key spec " + k.key->key_spec + " is not valid for " +
                                std::string(action) + ".");
  }
  ENVELOPE_ASSIGN_OR_RETURN(SecretBytes private_der, NewMaterial(*spec));
  ENVELOPE_ASSIGN_OR_RETURN(auto key, crypto::PrivateKey::FromPkcs8Der(private_der.span()));
  ENVELOPE_ASSIGN_OR_RETURN(Bytes spki, key.Public().ToSpkiDer());
  ENVELOPE_ASSIGN_OR_RETURN(Bytes blob, SealSymmetric(k, context, private_der.span()));
  Json out = {{"PrivateKeyCiphertextBlob", Base64Encode(blob)},
              {"PublicKey", Base64Encode(spki)},
              {"KeyId", k.arn},
              {"KeyPairSpec", *pair_spec}};
  if (with_plaintext) out["PrivateKeyPlaintext"] = Base64Encode(private_der.span());
  return out;
}

Result<Json> KmsService::GenerateDataKeyPair(const Caller& c, const Json& r) {
  return MakeDataKeyPair(c, r, "GenerateDataKeyPair", true);
}

Result<Json> KmsService::GenerateDataKeyPairWithoutPlaintext(const Caller& c, const Json& r) {
  return MakeDataKeyPair(c, r, "GenerateDataKeyPairWithoutPlaintext", false);
}

}  // namespace envelope::kms::server
