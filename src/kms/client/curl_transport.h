#pragma once
// CurlTransport: HttpTransport over libcurl with pooled keep-alive connections.
//
// Each pooled entry is a CURLM multi handle holding one easy handle; the multi handle owns the
// connection cache, so a connection is reused by whichever thread takes that entry next. A thread
// takes an entry for one attempt and returns it after, so no handle is ever used by two threads
// at once (libcurl-thread(3)). Up to max_idle_connections entries are kept; more are created
// under load and freed when returned to a full pool.
//
// The attempt is driven with curl_multi_poll so that the read (idle) timeout is checked against
// our own clock with millisecond accuracy: the easy interface's progress callback only fires
// about once a second when idle, and CURLOPT_LOW_SPEED_* is an average that fires seconds late.
//
// TLS peer and host verification are always on; CURLOPT_CAINFO is set from ca_bundle when given.
// Thread-safe.
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "envelope/result.h"
#include "kms/client/http_transport.h"

namespace envelope::kms {

struct CurlTransportOptions {
  std::string ca_bundle;  // PEM file; empty: the system store
  std::chrono::milliseconds happy_eyeballs_timeout{200};
  int max_idle_connections = 8;
  std::string user_agent = "envelope-kms-client/0.1";
};

class CurlTransport final : public HttpTransport {
 public:
  // Errors: kInvalidArgument when ca_bundle is set but unreadable; kInternal if libcurl cannot
  // initialise.
  static Result<std::unique_ptr<CurlTransport>> Create(CurlTransportOptions options);
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  HttpResult Send(const HttpRequest& request, const AttemptLimits& limits) override;

  struct Handle;  // one multi + easy pair (defined in the .cc)

 private:
  explicit CurlTransport(CurlTransportOptions options);
  std::unique_ptr<Handle> Acquire();
  void Release(std::unique_ptr<Handle> handle);

  const CurlTransportOptions options_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Handle>> idle_;  // guarded by mu_
};

}  // namespace envelope::kms
