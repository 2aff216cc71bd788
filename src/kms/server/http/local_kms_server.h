#pragma once
// LocalKmsServer: the local KMS served over HTTP, as one object — the LocalKms under the data
// directory, the accounts, the KMS front and the HTTP server. Serve() is Create + Run; tests
// create one on port 0, Run() it on a thread and Shutdown() it.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "envelope/result.h"
#include "kms/server/http/accounts.h"
#include "kms/server/http/serve.h"

namespace envelope::kms::server {

class LocalKmsServer {
 public:
  // Validates the config, opens the data directory, loads or creates the accounts and binds the
  // listen addresses. Errors: those of Serve().
  static Result<std::unique_ptr<LocalKmsServer>> Create(const ServeOptions& options,
                                                        bool handle_signals);
  virtual ~LocalKmsServer() = default;

  virtual std::vector<std::string> endpoints() const = 0;  // "127.0.0.1:4599", "[::1]:4599"
  virtual std::vector<std::uint16_t> ports() const = 0;
  virtual const AccountSetup& accounts() const = 0;
  // Serves until Shutdown() (or a signal with handle_signals), then drains and returns.
  virtual void Run() = 0;
  virtual void Shutdown() = 0;  // thread-safe
};

}  // namespace envelope::kms::server
