#include "kms/server/dispatcher_impl.h"

#include "kms/api/errors.h"
#include "kms/server/codec.h"

namespace envelope::kms::server {

ServiceDispatcher::ServiceDispatcher(KmsService& service) : service_(service) {
  RegisterTyped();
  RegisterJson();
}

bool ServiceDispatcher::HasOperation(std::string_view operation) const {
  return handlers_.find(operation) != handlers_.end();
}

Result<std::string> ServiceDispatcher::Dispatch(const Caller& caller, std::string_view operation,
                                                std::string_view json_body) {
  auto it = handlers_.find(operation);
  if (it == handlers_.end()) {
    return UnknownOperationError("Unknown operation " + std::string(operation));
  }
  ENVELOPE_ASSIGN_OR_RETURN(Json body, ParseRequestBody(json_body));
  ENVELOPE_ASSIGN_OR_RETURN(Json response, it->second(caller, body));
  // Invalid UTF-8 (possible only in echoed input) is replaced rather than thrown on.
  return response.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Adapts a typed operation: parse, call, serialise.
#define ENVELOPE_TYPED(op, parse, ...)                                        \
  handlers_[#op] = [this](const Caller& c, const Json& j) -> Result<Json> {   \
    auto request = parse(j);                                                  \
    if (!request.ok()) return request.status();                              \
    auto response = service_.op(c, *request);                                 \
    if (!response.ok()) return response.status();                            \
    return ToJson(*response __VA_OPT__(, ) __VA_ARGS__);                      \
  }

#define ENVELOPE_EMPTY(op, parse)                                             \
  handlers_[#op] = [this](const Caller& c, const Json& j) -> Result<Json> {   \
    auto request = parse(j);                                                  \
    if (!request.ok()) return request.status();                              \
    auto response = service_.op(c, *request);                                 \
    if (!response.ok()) return response.status();                            \
    return Json::object();                                                    \
  }

void ServiceDispatcher::RegisterTyped() {
  ENVELOPE_TYPED(Encrypt, ParseEncryptRequest);
  ENVELOPE_TYPED(Decrypt, ParseDecryptRequest);
  ENVELOPE_TYPED(ReEncrypt, ParseReEncryptRequest);
  ENVELOPE_TYPED(GenerateDataKey, ParseGenerateDataKeyRequest, true);
  ENVELOPE_TYPED(GenerateDataKeyWithoutPlaintext, ParseGenerateDataKeyRequest, false);
  ENVELOPE_TYPED(GenerateRandom, ParseGenerateRandomRequest);
  ENVELOPE_TYPED(DescribeKey, ParseDescribeKeyRequest);
  ENVELOPE_TYPED(CreateKey, ParseCreateKeyRequest);
  ENVELOPE_TYPED(ListKeys, ParseListKeysRequest);
  ENVELOPE_TYPED(ListAliases, ParseListAliasesRequest);
  ENVELOPE_TYPED(ScheduleKeyDeletion, ParseScheduleKeyDeletionRequest);
  ENVELOPE_EMPTY(CreateAlias, ParseCreateAliasRequest);
  ENVELOPE_EMPTY(EnableKey, ParseKeyIdRequest);
  ENVELOPE_EMPTY(DisableKey, ParseKeyIdRequest);
}

#define ENVELOPE_JSON(op) \
  handlers_[#op] = [this](const Caller& c, const Json& j) { return service_.op(c, j); }

void ServiceDispatcher::RegisterJson() {
  ENVELOPE_JSON(UpdateKeyDescription);
  ENVELOPE_JSON(CancelKeyDeletion);
  ENVELOPE_JSON(UpdateAlias);
  ENVELOPE_JSON(DeleteAlias);
  ENVELOPE_JSON(TagResource);
  ENVELOPE_JSON(UntagResource);
  ENVELOPE_JSON(ListResourceTags);
  ENVELOPE_JSON(GetKeyPolicy);
  ENVELOPE_JSON(PutKeyPolicy);
  ENVELOPE_JSON(ListKeyPolicies);
  ENVELOPE_JSON(GenerateDataKeyPair);
  ENVELOPE_JSON(GenerateDataKeyPairWithoutPlaintext);
  ENVELOPE_JSON(Sign);
  ENVELOPE_JSON(Verify);
  ENVELOPE_JSON(GetPublicKey);
  ENVELOPE_JSON(GenerateMac);
  ENVELOPE_JSON(VerifyMac);
  ENVELOPE_JSON(EnableKeyRotation);
  ENVELOPE_JSON(DisableKeyRotation);
  ENVELOPE_JSON(GetKeyRotationStatus);
  ENVELOPE_JSON(RotateKeyOnDemand);
  ENVELOPE_JSON(ListKeyRotations);
  ENVELOPE_JSON(CreateGrant);
  ENVELOPE_JSON(ListGrants);
  ENVELOPE_JSON(RetireGrant);
  ENVELOPE_JSON(RevokeGrant);
}

}  // namespace envelope::kms::server
