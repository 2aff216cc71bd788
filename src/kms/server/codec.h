#pragma once
// JSON <-> typed kms/api structs for the typed KmsService operations. Parsers check JSON types
// (SerializationException) and presence/length of identifiers (ValidationException); the service
// checks the remaining limits, so in-process callers get the same validation.
#include "kms/api/kms_api.h"
#include "kms/server/json_fields.h"

namespace envelope::kms::server {

Result<EncryptRequest> ParseEncryptRequest(const Json& j);
Result<DecryptRequest> ParseDecryptRequest(const Json& j);
Result<ReEncryptRequest> ParseReEncryptRequest(const Json& j);
Result<GenerateDataKeyRequest> ParseGenerateDataKeyRequest(const Json& j);
Result<GenerateRandomRequest> ParseGenerateRandomRequest(const Json& j);
Result<DescribeKeyRequest> ParseDescribeKeyRequest(const Json& j);
Result<CreateKeyRequest> ParseCreateKeyRequest(const Json& j);
Result<ListKeysRequest> ParseListKeysRequest(const Json& j);
Result<ListAliasesRequest> ParseListAliasesRequest(const Json& j);
Result<CreateAliasRequest> ParseCreateAliasRequest(const Json& j);
Result<KeyIdRequest> ParseKeyIdRequest(const Json& j);
Result<ScheduleKeyDeletionRequest> ParseScheduleKeyDeletionRequest(const Json& j);

// KeyMetadata as the KMS JSON object.
Json KeyMetadataJson(const KeyMetadata& m);

Json ToJson(const EncryptResponse& r);
Json ToJson(const DecryptResponse& r);
Json ToJson(const ReEncryptResponse& r);
Json ToJson(const GenerateDataKeyResponse& r, bool with_plaintext);
Json ToJson(const GenerateRandomResponse& r);
Json ToJson(const DescribeKeyResponse& r);
Json ToJson(const CreateKeyResponse& r);
Json ToJson(const ListKeysResponse& r);
Json ToJson(const ListAliasesResponse& r);
Json ToJson(const ScheduleKeyDeletionResponse& r);

}  // namespace envelope::kms::server
