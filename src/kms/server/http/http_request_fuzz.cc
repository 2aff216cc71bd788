// libFuzzer target: the HTTP/1.1 request parser with the server's limits (Beast's parser, as the
// server configures it), then the KMS front's handling of whatever parses, with a fake
// dispatcher and authentication on. Nothing may crash, hang or read out of bounds.
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cstddef>
#include <cstdint>

#include "core/clock.h"
#include "kms/server/dispatcher.h"
#include "kms/server/http/accounts.h"
#include "kms/server/http/kms_front.h"

namespace {

namespace http = boost::beast::http;
using namespace envelope::kms::server;

class NullDispatcher final : public Dispatcher {
 public:
  envelope::Result<std::string> Dispatch(const envelope::kms::Caller&, std::string_view,
                                         std::string_view) override {
    return std::string("{}");
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static NullDispatcher dispatcher;
  static AccountRegistry accounts;
  static KmsFront front(dispatcher, accounts, envelope::RealClock(), {true, "us-east-1", false});
  http::request_parser<http::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(1024 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec || !parser.is_done()) return 0;
  auto& req = parser.get();
  HttpRequest request;
  request.method = std::string(req.method_string());
  request.target = std::string(req.target());
  for (const auto& field : req) {
    request.headers.push_back({std::string(field.name_string()), std::string(field.value())});
  }
  request.body = req.body();
  (void)front.Handle(request);
  return 0;
}
