#pragma once
// KmsApi: the KMS operations that keyrings, the CLI and clients need, as a C++ interface.
// Implemented by the remote KmsClient (kms/client) and, in-process, by the local KMS's service
// bound to one caller (kms/server). The caller's identity is part of the implementation (its
// credentials or its binding), never of the request.
//
// Errors are Status values built by kms/api/errors.h: the Code says how to react (retry,
// throttle, give up) and error_type() carries the exact KMS `__type`. Implementations are
// thread-safe.
#include "envelope/result.h"
#include "kms/api/types.h"

namespace envelope::kms {

struct Empty {};

class KmsApi {
 public:
  virtual ~KmsApi() = default;

  virtual Result<EncryptResponse> Encrypt(const EncryptRequest& request) = 0;
  virtual Result<DecryptResponse> Decrypt(const DecryptRequest& request) = 0;
  virtual Result<ReEncryptResponse> ReEncrypt(const ReEncryptRequest& request) = 0;
  virtual Result<GenerateDataKeyResponse> GenerateDataKey(
      const GenerateDataKeyRequest& request) = 0;
  // The response's plaintext is empty.
  virtual Result<GenerateDataKeyResponse> GenerateDataKeyWithoutPlaintext(
      const GenerateDataKeyRequest& request) = 0;
  virtual Result<GenerateRandomResponse> GenerateRandom(const GenerateRandomRequest& request) = 0;

  virtual Result<DescribeKeyResponse> DescribeKey(const DescribeKeyRequest& request) = 0;
  virtual Result<CreateKeyResponse> CreateKey(const CreateKeyRequest& request) = 0;
  virtual Result<ListKeysResponse> ListKeys(const ListKeysRequest& request) = 0;
  virtual Result<ListAliasesResponse> ListAliases(const ListAliasesRequest& request) = 0;
  virtual Result<Empty> CreateAlias(const CreateAliasRequest& request) = 0;
  virtual Result<Empty> EnableKey(const KeyIdRequest& request) = 0;
  virtual Result<Empty> DisableKey(const KeyIdRequest& request) = 0;
  virtual Result<ScheduleKeyDeletionResponse> ScheduleKeyDeletion(
      const ScheduleKeyDeletionRequest& request) = 0;
};

}  // namespace envelope::kms
