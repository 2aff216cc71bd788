// BindCaller: the in-process KmsApi over a KmsService, for the embedded key store.
#include "kms/server/kms_service.h"

namespace envelope::kms::server {
namespace {

class CallerBoundApi final : public KmsApi {
 public:
  CallerBoundApi(KmsService& service, Caller caller)
      : service_(service), caller_(std::move(caller)) {}

  Result<EncryptResponse> Encrypt(const EncryptRequest& r) override {
    return service_.Encrypt(caller_, r);
  }
  Result<DecryptResponse> Decrypt(const DecryptRequest& r) override {
    return service_.Decrypt(caller_, r);
  }
  Result<ReEncryptResponse> ReEncrypt(const ReEncryptRequest& r) override {
    return service_.ReEncrypt(caller_, r);
  }
  Result<GenerateDataKeyResponse> GenerateDataKey(const GenerateDataKeyRequest& r) override {
    return service_.GenerateDataKey(caller_, r);
  }
  Result<GenerateDataKeyResponse> GenerateDataKeyWithoutPlaintext(
      const GenerateDataKeyRequest& r) override {
    return service_.GenerateDataKeyWithoutPlaintext(caller_, r);
  }
  Result<GenerateRandomResponse> GenerateRandom(const GenerateRandomRequest& r) override {
    return service_.GenerateRandom(caller_, r);
  }
  Result<DescribeKeyResponse> DescribeKey(const DescribeKeyRequest& r) override {
    return service_.DescribeKey(caller_, r);
  }
  Result<CreateKeyResponse> CreateKey(const CreateKeyRequest& r) override {
    return service_.CreateKey(caller_, r);
  }
  Result<ListKeysResponse> ListKeys(const ListKeysRequest& r) override {
    return service_.ListKeys(caller_, r);
  }
  Result<ListAliasesResponse> ListAliases(const ListAliasesRequest& r) override {
    return service_.ListAliases(caller_, r);
  }
  Result<Empty> CreateAlias(const CreateAliasRequest& r) override {
    return service_.CreateAlias(caller_, r);
  }
  Result<Empty> EnableKey(const KeyIdRequest& r) override { return service_.EnableKey(caller_, r); }
  Result<Empty> DisableKey(const KeyIdRequest& r) override {
    return service_.DisableKey(caller_, r);
  }
  Result<ScheduleKeyDeletionResponse> ScheduleKeyDeletion(
      const ScheduleKeyDeletionRequest& r) override {
    return service_.ScheduleKeyDeletion(caller_, r);
  }

 private:
  KmsService& service_;
  Caller caller_;
};

}  // namespace

std::unique_ptr<KmsApi> BindCaller(KmsService& service, Caller caller) {
  return std::make_unique<CallerBoundApi>(service, std::move(caller));
}

}  // namespace envelope::kms::server
