#include "cli/embedded_store.h"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <system_error>

#include "cli/exit_codes.h"
#include "kms/api/arn.h"
#include "kms/server/local_kms.h"

namespace envelope::cli {
namespace {

using kms::KmsApi;
using kms::server::LocalKms;

// A KmsApi bound to one caller that keeps the store it came from open.
class StoreBoundApi final : public KmsApi {
 public:
  StoreBoundApi(std::shared_ptr<LocalKms> store, std::unique_ptr<KmsApi> api)
      : store_(std::move(store)), api_(std::move(api)) {}
  ~StoreBoundApi() override { api_.reset(); }  // before the store

  Result<kms::EncryptResponse> Encrypt(const kms::EncryptRequest& r) override {
    return api_->Encrypt(r);
  }
  Result<kms::DecryptResponse> Decrypt(const kms::DecryptRequest& r) override {
    return api_->Decrypt(r);
  }
  Result<kms::ReEncryptResponse> ReEncrypt(const kms::ReEncryptRequest& r) override {
    return api_->ReEncrypt(r);
  }
  Result<kms::GenerateDataKeyResponse> GenerateDataKey(
      const kms::GenerateDataKeyRequest& r) override {
    return api_->GenerateDataKey(r);
  }
  Result<kms::GenerateDataKeyResponse> GenerateDataKeyWithoutPlaintext(
      const kms::GenerateDataKeyRequest& r) override {
    return api_->GenerateDataKeyWithoutPlaintext(r);
  }
  Result<kms::GenerateRandomResponse> GenerateRandom(
      const kms::GenerateRandomRequest& r) override {
    return api_->GenerateRandom(r);
  }
  Result<kms::DescribeKeyResponse> DescribeKey(const kms::DescribeKeyRequest& r) override {
    return api_->DescribeKey(r);
  }
  Result<kms::CreateKeyResponse> CreateKey(const kms::CreateKeyRequest& r) override {
    return api_->CreateKey(r);
  }
  Result<kms::ListKeysResponse> ListKeys(const kms::ListKeysRequest& r) override {
    return api_->ListKeys(r);
  }
  Result<kms::ListAliasesResponse> ListAliases(const kms::ListAliasesRequest& r) override {
    return api_->ListAliases(r);
  }
  Result<kms::Empty> CreateAlias(const kms::CreateAliasRequest& r) override {
    return api_->CreateAlias(r);
  }
  Result<kms::Empty> EnableKey(const kms::KeyIdRequest& r) override { return api_->EnableKey(r); }
  Result<kms::Empty> DisableKey(const kms::KeyIdRequest& r) override {
    return api_->DisableKey(r);
  }
  Result<kms::ScheduleKeyDeletionResponse> ScheduleKeyDeletion(
      const kms::ScheduleKeyDeletionRequest& r) override {
    return api_->ScheduleKeyDeletion(r);
  }

 private:
  std::shared_ptr<LocalKms> store_;
  std::unique_ptr<KmsApi> api_;
};

const char* Env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : nullptr;
}

// Creates `dir` and its parents; the store's own directory gets mode 0700.
Status MakePrivateDir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return IoError(dir + ": cannot create directory: " + ec.message());
  }
  if (::chmod(dir.c_str(), 0700) != 0) {
    return IoError(dir + ": cannot set mode 0700");
  }
  return OkStatus();
}

}  // namespace

Result<std::string> UserDataDir() {
  if (const char* dir = Env("ENVELOPE_DATA_DIR")) {
    return std::string(dir);
  }
  if (const char* xdg = Env("XDG_DATA_HOME")) {
    return std::string(xdg) + "/envelope";
  }
  if (const char* home = Env("HOME")) {
    return std::string(home) + "/.local/share/envelope";
  }
  return InvalidArgument("no data directory: set ENVELOPE_DATA_DIR (or HOME)");
}

bool DataDirChosenExplicitly() { return Env("ENVELOPE_DATA_DIR") != nullptr; }

std::string FindAwsConfiguration() {
  for (const char* name : {"AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
                           "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"}) {
    if (Env(name) != nullptr) {
      return std::string(name) + " is set";
    }
  }
  if (const char* home = Env("HOME")) {
    for (const char* file : {"/.aws/config", "/.aws/credentials"}) {
      const std::string path = std::string(home) + file;
      std::error_code ec;
      if (std::filesystem::exists(path, ec)) {
        return path + " exists";
      }
    }
  }
  return "";
}

Result<KmsClientSupplier> OpenEmbeddedStore(const std::string& data_dir) {
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<LocalKms>> open_stores;
  std::lock_guard<std::mutex> lock(mutex);
  std::shared_ptr<LocalKms> store = open_stores[data_dir].lock();
  if (store == nullptr) {
    ENVELOPE_RETURN_IF_ERROR(MakePrivateDir(data_dir));
    ENVELOPE_ASSIGN_OR_RETURN(std::unique_ptr<LocalKms> opened, LocalKms::Open({data_dir, ""}));
    store = std::shared_ptr<LocalKms>(std::move(opened));
    open_stores[data_dir] = store;
  }
  return KmsClientSupplier(
      [store](const std::string& region) -> Result<std::shared_ptr<KmsApi>> {
        const std::string r = region.empty() ? kDefaultLocalRegion : region;
        return std::shared_ptr<KmsApi>(std::make_shared<StoreBoundApi>(
            store, store->ApiFor(kms::server::DefaultLocalCaller(r))));
      });
}

Result<std::string> ResolveLocalKey(KmsApi& kms, const std::string& key_id, bool create_alias,
                                    bool* created) {
  Result<kms::DescribeKeyResponse> described = kms.DescribeKey({key_id, {}});
  if (described.ok()) {
    return described->key_metadata.arn;
  }
  const bool alias = key_id.starts_with("alias/");
  if (!create_alias || !alias || described.status().code() != Code::kNotFound) {
    return described.status();
  }
  kms::CreateKeyRequest create;
  create.description = "created by envelope for " + key_id;
  ENVELOPE_ASSIGN_OR_RETURN(kms::CreateKeyResponse key, kms.CreateKey(create));
  Result<kms::Empty> aliased = kms.CreateAlias({key_id, key.key_metadata.key_id});
  if (!aliased.ok() && aliased.status().code() != Code::kAlreadyExists) {
    return aliased.status();  // (a concurrent creator winning the race is fine)
  }
  if (aliased.ok() && created != nullptr) {
    *created = true;
  }
  ENVELOPE_ASSIGN_OR_RETURN(kms::DescribeKeyResponse now, kms.DescribeKey({key_id, {}}));
  return now.key_metadata.arn;
}

}  // namespace envelope::cli
