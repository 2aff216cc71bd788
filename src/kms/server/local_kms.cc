#include "kms/server/local_kms.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "core/clock.h"
#include "core/random.h"
#include "kms/api/arn.h"
#include "kms/server/dispatcher_impl.h"
#include "kms/server/key_store.h"
#include "kms/server/kms_service.h"
#include "kms/server/master_key.h"

namespace envelope::kms::server {
namespace {

class LocalKmsImpl final : public LocalKms {
 public:
  explicit LocalKmsImpl(std::unique_ptr<KeyStore> store)
      : store_(std::move(store)),
        service_(*store_, RealClock(), SystemRandom()),
        dispatcher_(service_) {}

  Dispatcher& dispatcher() override { return dispatcher_; }
  KmsService& service() override { return service_; }
  std::unique_ptr<KmsApi> ApiFor(const Caller& caller) override {
    return BindCaller(service_, caller);
  }

 private:
  std::unique_ptr<KeyStore> store_;
  KmsService service_;
  ServiceDispatcher dispatcher_;
};

Status EnsureDirectory(const std::string& dir) {
  if (dir.empty()) return InvalidArgument("local KMS: a data directory is required");
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return InvalidArgument("local KMS: cannot create " + dir + ": " + std::strerror(errno));
  }
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return InvalidArgument("local KMS: " + dir + " is not a directory");
  }
  return OkStatus();
}

}  // namespace

Result<std::unique_ptr<LocalKms>> LocalKms::Open(const LocalKmsOptions& options) {
  ENVELOPE_RETURN_IF_ERROR(EnsureDirectory(options.data_dir));
  ENVELOPE_ASSIGN_OR_RETURN(SecretBytes master,
                            LoadOrCreateMasterKey(options.data_dir, options.master_key_file));
  ENVELOPE_ASSIGN_OR_RETURN(std::unique_ptr<KeyStore> store,
                            KeyStore::Open(options.data_dir + "/keys.db", std::move(master)));
  return std::unique_ptr<LocalKms>(new LocalKmsImpl(std::move(store)));
}

Caller DefaultLocalCaller(const std::string& region) {
  return Caller{"111122223333", region, "", AccountRootArn(PartitionForRegion(region),
                                                           "111122223333")};
}

}  // namespace envelope::kms::server
