#pragma once
// Test helper: a tiny blocking HTTP/1.1 client over a raw socket, so tests control the exact
// bytes (pipelining, malformed requests, oversize bodies) and share no code with the server.
// Every read has a 10-second socket timeout, so a broken server fails a test instead of hanging.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "envelope/result.h"
#include "kms/protocol/sigv4.h"

namespace envelope::kms::testing {

struct RawHttpResponse {
  int status = 0;
  std::vector<protocol::HttpHeader> headers;
  std::string body;
  // The first header named `name` (case-insensitive), or "" when absent.
  std::string Header(std::string_view name) const;
};

class RawHttpClient {
 public:
  // host: an IP literal ("127.0.0.1", "::1"). Errors: kUnavailable.
  static Result<RawHttpClient> Connect(const std::string& host, std::uint16_t port);
  RawHttpClient(RawHttpClient&& other) noexcept;
  RawHttpClient& operator=(RawHttpClient&&) = delete;
  ~RawHttpClient();

  Status Send(std::string_view bytes);
  // Reads one response (Content-Length bodies). Errors: kUnavailable (closed, timeout, garbage).
  Result<RawHttpResponse> Read();
  Result<RawHttpResponse> RoundTrip(std::string_view request);
  // True once the server has closed the connection (reads EOF, ignoring buffered data).
  bool ServerClosed();

 private:
  explicit RawHttpClient(int fd) : fd_(fd) {}
  Status Fill();
  int fd_ = -1;
  std::string buffer_;
};

// "METHOD TARGET HTTP/1.1" + headers + Content-Length + body.
std::string BuildRequest(std::string_view method, std::string_view target,
                         const std::vector<protocol::HttpHeader>& headers, std::string_view body);

// A KMS request (POST /, X-Amz-Target TrentService.<operation>) signed with SigV4 at
// `amz_date` for `region`; `host` is the Host header ("127.0.0.1:4599").
std::string SignedKmsRequest(std::string_view host, std::string_view operation,
                             std::string_view body, std::string_view access_key_id,
                             std::string_view secret, std::string_view region,
                             std::string_view amz_date);

}  // namespace envelope::kms::testing
