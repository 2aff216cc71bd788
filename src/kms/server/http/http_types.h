#pragma once
// The HTTP request and response as the KMS front sees them: plain structs, so that the handler
// and its tests never include Boost.Beast (which only http_server.cc does).
#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "kms/protocol/sigv4.h"

namespace envelope::kms::server {

using protocol::HttpHeader;

struct HttpRequest {
  std::string method;  // "POST"
  std::string target;  // path and query as on the wire: "/", "/x?y=1"
  std::vector<HttpHeader> headers;  // in arrival order, names as sent
  std::string body;
  std::string remote;  // "127.0.0.1:53422", for logs
};

struct HttpResponse {
  int status = 200;
  std::string content_type;
  std::vector<HttpHeader> headers;  // extra headers (x-amzn-RequestId, Allow, ...)
  std::string body;
  bool close = false;  // ask the server to close the connection after this response
  // Injected faults the server carries out instead of answering normally (docs/kms-server.md#faults):
  // kHang reads and discards the connection's input and never answers, until the client closes,
  // `hang_for` passes or the server shuts down; kReset writes the status line, the headers and
  // half of the body, then resets the connection (RST).
  enum class Fault { kNone, kHang, kReset };
  Fault fault = Fault::kNone;
  std::chrono::milliseconds hang_for{0};
};

// Handles one complete request. Called concurrently from the server's threads; must not throw.
using HttpHandler = std::function<HttpResponse(HttpRequest&)>;

// The KMS error body {"__type": TYPE, "message": MESSAGE}, JSON-escaped.
std::string JsonErrorBody(std::string_view type, std::string_view message);
// `text` as a JSON string literal, with quotes.
std::string JsonQuote(std::string_view text);

}  // namespace envelope::kms::server
