#pragma once
// The client half of the KMS JSON 1.1 wire shapes: request bodies serialized from the kms/api
// request structs, and response bodies parsed into the response structs. The member names are
// those of the AWS KMS API (and of the local server's parsers in kms/server/codec.cc): blobs are
// base64 strings, dates are epoch seconds (numbers), Tags are [{"TagKey","TagValue"}].
//
// Parsing is lenient about absent members (AWS adds and omits fields freely) and strict about
// types: a member of the wrong JSON type, invalid base64 or a non-JSON body yields kInternal
// ("kms: malformed <Op> response: ..."), which callers do not retry. nlohmann::json never throws
// out of these functions.
#include <string>
#include <string_view>

#include "envelope/result.h"
#include "kms/api/kms_api.h"

namespace envelope::kms::protocol {

// "TrentService." + operation, the X-Amz-Target value.
std::string TargetFor(std::string_view operation);
inline constexpr std::string_view kJsonContentType = "application/x-amz-json-1.1";

// Request bodies (compact JSON text). Optional fields absent are omitted; empty encryption
// contexts and grant-token lists are omitted. Plaintext is base64 of the secret bytes.
std::string SerializeRequest(const EncryptRequest& r);
std::string SerializeRequest(const DecryptRequest& r);
std::string SerializeRequest(const ReEncryptRequest& r);
std::string SerializeRequest(const GenerateDataKeyRequest& r);
std::string SerializeRequest(const GenerateRandomRequest& r);
std::string SerializeRequest(const DescribeKeyRequest& r);
std::string SerializeRequest(const CreateKeyRequest& r);
std::string SerializeRequest(const ListKeysRequest& r);
std::string SerializeRequest(const ListAliasesRequest& r);
std::string SerializeRequest(const CreateAliasRequest& r);
std::string SerializeRequest(const KeyIdRequest& r);
std::string SerializeRequest(const ScheduleKeyDeletionRequest& r);

// Response bodies. Errors: kInternal for malformed bodies (see above).
Result<EncryptResponse> ParseEncryptResponse(std::string_view body);
Result<DecryptResponse> ParseDecryptResponse(std::string_view body);
Result<ReEncryptResponse> ParseReEncryptResponse(std::string_view body);
Result<GenerateDataKeyResponse> ParseGenerateDataKeyResponse(std::string_view body);
Result<GenerateRandomResponse> ParseGenerateRandomResponse(std::string_view body);
Result<DescribeKeyResponse> ParseDescribeKeyResponse(std::string_view body);
Result<CreateKeyResponse> ParseCreateKeyResponse(std::string_view body);
Result<ListKeysResponse> ParseListKeysResponse(std::string_view body);
Result<ListAliasesResponse> ParseListAliasesResponse(std::string_view body);
Result<ScheduleKeyDeletionResponse> ParseScheduleKeyDeletionResponse(std::string_view body);

// A non-2xx response as a Status: the error type is body `__type` normalized (text after the last
// '#', before any ':'), falling back to the HTTP status when absent; the message is `message`,
// else `Message`. The Code comes from kms/api/errors.h CodeForErrorType. An unparsable body gives
// error type "" and the Code for the HTTP status.
Status ParseErrorResponse(int http_status, std::string_view body);

}  // namespace envelope::kms::protocol
