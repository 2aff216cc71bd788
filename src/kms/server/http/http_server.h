#pragma once
// An asynchronous HTTP/1.1 server (Boost.Beast over Asio) for the local KMS: listens on several
// endpoints (IPv4 and IPv6) at once, keeps connections alive, answers the requests of one
// connection strictly one at a time in order (so pipelined requests are safe), bounds header and
// body sizes, and times out slow requests and idle connections.
//
// Errors it answers itself, always as JSON, never HTML (Spec: docs/kms-server.md#http):
//   413 RequestEntityTooLargeException      body over max_body_bytes (then closes)
//   431 RequestHeaderFieldsTooLargeException headers over max_header_bytes (then closes)
//   400 SerializationException               malformed HTTP (then closes)
// Thread-safety: Run() once; Shutdown() from any thread (or a signal, with handle_signals).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "envelope/result.h"
#include "kms/server/http/http_types.h"

namespace envelope::kms::server {

struct HttpServerOptions {
  std::vector<std::string> listen = {"127.0.0.1:4599", "[::1]:4599"};  // HOST:PORT; port 0 ok
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;
  // Time for a request's body once its header has arrived, and for writing a response.
  std::chrono::milliseconds request_timeout{30'000};
  // Time a kept-alive connection may wait for (the header of) its next request.
  std::chrono::milliseconds idle_timeout{60'000};
  // Both set: HTTPS only (TLS 1.2 and 1.3), with this PEM certificate chain and private key.
  std::string tls_cert_file, tls_key_file;
  int threads = 0;              // 0: one per hardware thread
  bool handle_signals = false;  // SIGINT/SIGTERM call Shutdown()
};

class HttpServer {
 public:
  // Binds every listen address (SO_REUSEADDR, IPv6 sockets v6-only). Errors: kInvalidArgument
  // (unparsable address; unreadable or mismatched TLS certificate and key), kUnavailable ("listen 127.0.0.1:4599: address already in use").
  static Result<std::unique_ptr<HttpServer>> Create(HttpServerOptions options,
                                                    HttpHandler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The bound endpoints, as "127.0.0.1:4599" / "[::1]:4599" (real ports when 0 was asked for).
  std::vector<std::string> endpoints() const;
  std::vector<std::uint16_t> ports() const;

  // Serves until Shutdown(): then stops accepting, closes idle connections, lets in-flight
  // requests finish and be answered, and returns once every connection is gone.
  void Run();
  void Shutdown();

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace envelope::kms::server
