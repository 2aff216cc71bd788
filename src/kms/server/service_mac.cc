// KmsService: HMAC keys — GenerateMac, VerifyMac.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/encoding.h"
#include "crypto/hash.h"
#include "kms/api/errors.h"
#include "kms/server/kms_service.h"

namespace envelope::kms::server {
namespace {

const std::vector<std::string_view> kMacAlgorithms = {"HMAC_SHA_224", "HMAC_SHA_256",
                                                      "HMAC_SHA_384", "HMAC_SHA_512"};

// HMAC with OpenSSL directly: crypto/hash.h has no SHA-224, which HMAC_224 keys need.
Result<Bytes> ComputeMac(std::string_view algorithm, const SecretBytes& key, ByteView message) {
  const EVP_MD* md = algorithm == "HMAC_SHA_224"   ? EVP_sha224()
                     : algorithm == "HMAC_SHA_256" ? EVP_sha256()
                     : algorithm == "HMAC_SHA_384" ? EVP_sha384()
                                                   : EVP_sha512();
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int len = 0;
  if (HMAC(md, key.data(), static_cast<int>(key.size()), message.data(), message.size(),
           out.data(), &len) == nullptr) {
    return KmsInternalError("HMAC failed");
  }
  out.resize(len);
  return out;
}

struct MacInput {
  std::string key_id;
  Bytes message;
  std::string algorithm;
};

Result<MacInput> ReadMacInput(const RequestReader& r) {
  MacInput in;
  ENVELOPE_ASSIGN_OR_RETURN(in.key_id, r.String("KeyId", 1, 2048));
  ENVELOPE_ASSIGN_OR_RETURN(in.message, r.Blob("Message", 1, 4096));
  ENVELOPE_ASSIGN_OR_RETURN(auto alg, r.OptEnum("MacAlgorithm", kMacAlgorithms));
  ENVELOPE_RETURN_IF_ERROR(r.GrantTokens().status());
  if (!alg) return ValidationErrorNull("MacAlgorithm");
  in.algorithm = *alg;
  return in;
}

Status CheckMacKey(const KmsService::Resolved& k, const std::string& algorithm) {
  auto allowed = MacAlgorithmsFor(*k.spec, k.key->key_usage);
  if (allowed.empty()) {
    return InvalidKeyUsageError(k.arn + " key usage is " + k.key->key_usage +
                                " which is not valid for MAC operations.");
  }
  if (allowed.front() != algorithm) {
    return InvalidKeyUsageError("Algorithm " + algorithm + " is incompatible with key spec " +
                                k.key->key_spec + ".");
  }
  return OkStatus();
}

}  // namespace

Result<Json> KmsService::GenerateMac(const Caller& c, const Json& body) {
  RequestReader r(body);
  ENVELOPE_ASSIGN_OR_RETURN(MacInput in, ReadMacInput(r));
  ENVELOPE_ASSIGN_OR_RETURN(Resolved k, ResolveKey(c, in.key_id, {"GenerateMac", true}));
  ENVELOPE_RETURN_IF_ERROR(RequireEnabled(k));
  ENVELOPE_RETURN_IF_ERROR(CheckMacKey(k, in.algorithm));
  ENVELOPE_ASSIGN_OR_RETURN(Bytes mac, ComputeMac(in.algorithm, k.key->current().secret, in.message));
  return Json{{"Mac", Base64Encode(mac)}, {"MacAlgorithm", in.algorithm}, {"KeyId", k.arn}};
}

Result<Json> KmsService::VerifyMac(const Caller& c, const Json& body) {
  RequestReader r(body);
  ENVELOPE_ASSIGN_OR_RETURN(MacInput in, ReadMacInput(r));
  ENVELOPE_ASSIGN_OR_RETURN(Bytes given, r.Blob("Mac", 1, 6144));
  ENVELOPE_ASSIGN_OR_RETURN(Resolved k, ResolveKey(c, in.key_id, {"VerifyMac", true}));
  ENVELOPE_RETURN_IF_ERROR(RequireEnabled(k));
  ENVELOPE_RETURN_IF_ERROR(CheckMacKey(k, in.algorithm));
  ENVELOPE_ASSIGN_OR_RETURN(Bytes mac, ComputeMac(in.algorithm, k.key->current().secret, in.message));
  if (!crypto::ConstantTimeEquals(mac, given)) return InvalidMacError("");
  return Json{{"KeyId", k.arn}, {"MacValid", true}, {"MacAlgorithm", in.algorithm}};
}

}  // namespace envelope::kms::server
