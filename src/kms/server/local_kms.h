#pragma once
// LocalKms: the local KMS's state and logic in one object — the SQLite key store under a data
// directory, the KmsService, and the JSON Dispatcher over it. The HTTP server serves it; the
// embedded key store uses it in-process with no HTTP at all.
#include <memory>
#include <string>

#include "envelope/result.h"
#include "kms/api/caller.h"
#include "kms/api/kms_api.h"
#include "kms/server/dispatcher.h"

namespace envelope::kms::server {

class KmsService;

struct LocalKmsOptions {
  std::string data_dir;         // created (mode 0700) when missing
  std::string master_key_file;  // empty: DATA_DIR/master.key, created with mode 0600
};

class LocalKms {
 public:
  virtual ~LocalKms() = default;
  // Errors: kInvalidArgument (unusable directory or master key), kInternal (database).
  static Result<std::unique_ptr<LocalKms>> Open(const LocalKmsOptions& options);
  virtual Dispatcher& dispatcher() = 0;
  // The service itself (the HTTP server's quota engine looks keys up through it).
  virtual KmsService& service() = 0;
  // The typed operations for one caller, in-process (the embedded key store). The returned object
  // must not outlive this LocalKms.
  virtual std::unique_ptr<KmsApi> ApiFor(const Caller& caller) = 0;
};

// The caller the embedded key store uses when nothing else is configured: account 111122223333
// in region `region`, principal arn:aws:iam::111122223333:root.
Caller DefaultLocalCaller(const std::string& region);

}  // namespace envelope::kms::server
