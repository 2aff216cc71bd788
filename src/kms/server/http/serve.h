#pragma once
// Runs the local KMS over HTTP in the foreground: `envelope kms serve`.
#include <string>
#include <vector>

#include "envelope/status.h"

namespace envelope::kms::server {

struct ServeOptions {
  std::vector<std::string> listen;  // "HOST:PORT", "[::1]:PORT"; default 127.0.0.1:4599 and [::1]:4599
  std::string data_dir;
  std::string config_file;  // accounts and access keys (later: quotas, faults); empty: defaults
  bool auth = true;         // false: accept any credentials (--auth off)
  std::string tls_cert, tls_key;  // PEM files; both set: HTTPS only; both empty: plain HTTP
  bool log_requests = true;       // one line per request on stderr
  // The /_envelope/ admin endpoint's bearer token; empty: the config's "admin.token", and without
  // one the endpoint answers loopback peers only.
  std::string admin_token;
};

// Blocks until SIGTERM or SIGINT, then drains and returns OK. Startup problems return at once:
// kInvalidArgument (bad listen address, config, data dir, TLS certificate or key), kUnavailable
// (address in use). Accounts: docs/kms-server.md#accounts.
Status Serve(const ServeOptions& options);

}  // namespace envelope::kms::server
