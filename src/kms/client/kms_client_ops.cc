// The typed KmsApi operations: serialize with the shared codec, Invoke, parse.
#include "kms/client/kms_client.h"
#include "kms/protocol/json_codec.h"

namespace envelope::kms {

namespace p = protocol;

Result<EncryptResponse> KmsClient::Encrypt(const EncryptRequest& request) {
  ENVELOPE_ASSIGN_OR_RETURN(std::string body, Invoke("Encrypt", p::SerializeRequest(request)));
  return p::ParseEncryptResponse(body);
}

Result<DecryptResponse> KmsClient::Decrypt(const DecryptRequest& request) {
  ENVELOPE_ASSIGN_OR_RETURN(std::string body, Invoke("Decrypt", p::SerializeRequest(request)));
  return p::ParseDecryptResponse(body);
}

Result<ReEncryptResponse> KmsClient::ReEncrypt(const ReEncryptRequest& request) {
  ENVELOPE_ASSIGN_OR_RETURN(std::string body, Invoke("ReEncrypt", p::SerializeRequest(request)));
  return p::ParseReEncryptResponse(body);
}

Result<GenerateDataKeyResponse> KmsClient::GenerateDataKey(const GenerateDataKeyRequest& request) {
  ENVELOPE_ASSIGN_OR_RETURN(std::string body,
                            Invoke("GenerateDataKey", p::SerializeRequest(request)));
  return p::ParseGenerateDataKeyResponse(body);
}

Result<GenerateDataKeyResponse> KmsClient::GenerateDataKeyWithoutPlaintext(
    const GenerateDataKeyRequest& request) {
  ENVELOPE_ASSIGN_OR_RETURN(
      std::string body, Invoke("GenerateDataKeyWithoutPlaintext", p::SerializeRequest(request)));
  return p::ParseGenerateDataKeyResponse(body);
}

Result<GenerateRandomResponse> KmsClient::GenerateRandom(const GenerateRandomRequest& request) {
  ENVELOPE_ASSIGN_OR_RETURN(std::string body,
                            Invoke("GenerateRandom", p::SerializeRequest(request)));
  return p::ParseGenerateRandomResponse(body);
}

Result<DescribeKeyResponse> KmsClient::DescribeKey(const DescribeKeyRequest& request) {
  ENVELOPE_ASSIGN_OR_RETURN(std::string body, Invoke("DescribeKey", p::SerializeRequest(request)));
  return p::ParseDescribeKeyResponse(body);
}

Result<CreateKeyResponse> KmsClient::CreateKey(const CreateKeyRequest& request) {
  ENVELOPE_ASSIGN_OR_RETURN(std::string body, Invoke("CreateKey", p::SerializeRequest(request)));
  return p::ParseCreateKeyResponse(body);
}

Result<ListKeysResponse> KmsClient::ListKeys(const ListKeysRequest& request) {
  ENVELOPE_ASSIGN_OR_RETURN(std::string body, Invoke("ListKeys", p::SerializeRequest(request)));
  return p::ParseListKeysResponse(body);
}

Result<ListAliasesResponse> KmsClient::ListAliases(const ListAliasesRequest& request) {
  ENVELOPE_ASSIGN_OR_RETURN(std::string body, Invoke("ListAliases", p::SerializeRequest(request)));
  return p::ParseListAliasesResponse(body);
}

Result<Empty> KmsClient::CreateAlias(const CreateAliasRequest& request) {
  ENVELOPE_ASSIGN_OR_RETURN(std::string body, Invoke("CreateAlias", p::SerializeRequest(request)));
  return Empty{};
}

Result<Empty> KmsClient::EnableKey(const KeyIdRequest& request) {
  ENVELOPE_ASSIGN_OR_RETURN(std::string body, Invoke("EnableKey", p::SerializeRequest(request)));
  return Empty{};
}

Result<Empty> KmsClient::DisableKey(const KeyIdRequest& request) {
  ENVELOPE_ASSIGN_OR_RETURN(std::string body, Invoke("DisableKey", p::SerializeRequest(request)));
  return Empty{};
}

Result<ScheduleKeyDeletionResponse> KmsClient::ScheduleKeyDeletion(
    const ScheduleKeyDeletionRequest& request) {
  ENVELOPE_ASSIGN_OR_RETURN(std::string body,
                            Invoke("ScheduleKeyDeletion", p::SerializeRequest(request)));
  return p::ParseScheduleKeyDeletionResponse(body);
}

}  // namespace envelope::kms
