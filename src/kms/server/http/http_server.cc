// The only translation unit that includes Boost.Beast/Asio (they compile slowly): the listeners,
// the worker loops and shutdown; a connection's life is in http_session.h.
#include "kms/server/http/http_server.h"

#include <algorithm>
#include <thread>

#include "kms/server/http/http_session.h"
#include "kms/server/http/tls_context.h"

namespace envelope::kms::server {
namespace internal {

std::string EndpointString(const tcp::endpoint& ep) {
  const std::string host = ep.address().to_string();
  const std::string port = std::to_string(ep.port());
  return ep.address().is_v6() ? "[" + host + "]:" + port : host + ":" + port;
}

namespace {

// Splits "HOST:PORT" / "[V6]:PORT" and resolves HOST (an IP literal, or a name such as localhost).
Result<std::vector<tcp::endpoint>> ResolveListen(const std::string& spec) {
  std::string host, port;
  if (!spec.empty() && spec.front() == '[') {
    const std::size_t close = spec.find(']');
    if (close == std::string::npos || close + 1 >= spec.size() || spec[close + 1] != ':') {
      return InvalidArgument("listen " + spec + ": expected [IPV6]:PORT");
    }
    host = spec.substr(1, close - 1);
    port = spec.substr(close + 2);
  } else {
    const std::size_t colon = spec.rfind(':');
    if (colon == std::string::npos || spec.find(':') != colon) {
      return InvalidArgument("listen " + spec + ": expected HOST:PORT (IPv6 as [ADDR]:PORT)");
    }
    host = spec.substr(0, colon);
    port = spec.substr(colon + 1);
  }
  if (host.empty() || port.empty() || port.size() > 5 ||
      !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
      std::stoi(port) > 65535) {
    return InvalidArgument("listen " + spec + ": expected HOST:PORT with a port 0-65535");
  }
  const auto port_number = static_cast<std::uint16_t>(std::stoi(port));
  boost::system::error_code ec;
  const net::ip::address address = net::ip::make_address(host, ec);
  if (!ec) return std::vector<tcp::endpoint>{tcp::endpoint(address, port_number)};
  net::io_context io;
  tcp::resolver resolver(io);
  const auto results = resolver.resolve(host, port, ec);
  if (ec || results.empty()) return InvalidArgument("listen " + spec + ": cannot resolve " + host);
  std::vector<tcp::endpoint> out;
  for (const auto& entry : results) {
    if (std::find(out.begin(), out.end(), entry.endpoint()) == out.end()) {
      out.push_back(entry.endpoint());
    }
  }
  return out;
}

std::string BindErrorText(const boost::system::error_code& ec) {
  if (ec == net::error::address_in_use) return "address already in use";
  if (ec == boost::system::errc::address_not_available) return "cannot assign requested address";
  if (ec == net::error::access_denied) return "permission denied";
  std::string text = ec.message();
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

}  // namespace

void ServerState::Accept(tcp::acceptor& acceptor) {
  acceptor.async_accept([this, &acceptor](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
    if (!ec) {
      socket.set_option(tcp::no_delay(true), ec);
      // Move the connection to the least busy worker loop (chosen now, not when the accept
      // was armed, so that connections spread evenly).
      const std::size_t loop = PickLoop();
      const tcp protocol = acceptor.local_endpoint(ec).protocol();
      tcp::socket moved(*loops[loop]);
      if (!ec) moved.assign(protocol, socket.release(ec), ec);
      if (!ec) {
        if (tls) {
          std::make_shared<TlsSession>(std::move(moved), *this, loop, *tls)->Start();
        } else {
          std::make_shared<PlainSession>(std::move(moved), *this, loop)->Start();
        }
      } else {
        ReleaseLoop(loop);
      }
    }
    Accept(acceptor);
  });
}

std::size_t ServerState::PickLoop() {
  std::lock_guard lock(mu);
  std::size_t best = next_loop++ % loops.size();
  for (std::size_t i = 0; i < loops.size(); ++i) {
    if (connections_per_loop[i] < connections_per_loop[best]) best = i;
  }
  ++connections_per_loop[best];
  return best;
}

void ServerState::ReleaseLoop(std::size_t loop) {
  std::lock_guard lock(mu);
  --connections_per_loop[loop];
}

void ServerState::DoShutdown() {
  std::vector<std::shared_ptr<SessionBase>> live;
  {
    std::lock_guard lock(mu);
    if (stopping) return;
    stopping = true;
    stopping_flag = true;
    for (auto& [raw, weak] : sessions) {
      if (auto session = weak.lock()) live.push_back(std::move(session));
    }
  }
  beast::error_code ec;
  for (auto& acceptor : acceptors) acceptor->close(ec);
  if (signals) signals->cancel(ec);
  for (auto& session : live) session->RequestShutdown();
  // Each loop now returns once its last connection is gone.
  for (auto& guard : keep_running) guard.reset();
}

}  // namespace internal

namespace net = boost::asio;
using internal::BindErrorText;
using internal::EndpointString;
using internal::ResolveListen;
using internal::ServerState;
using internal::tcp;

std::string JsonQuote(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  out.reserve(text.size() + 2);
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xF]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
  return out;
}

std::string JsonErrorBody(std::string_view type, std::string_view message) {
  return "{\"__type\":" + JsonQuote(type) + ",\"message\":" + JsonQuote(message) + "}";
}

struct HttpServer::Impl {
  std::unique_ptr<ServerState> state;
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpServer::~HttpServer() = default;

Result<std::unique_ptr<HttpServer>> HttpServer::Create(HttpServerOptions options,
                                                       HttpHandler handler) {
  const int threads = std::max(
      1, options.threads > 0 ? options.threads
                             : static_cast<int>(std::thread::hardware_concurrency()));
  options.threads = threads;
  if (options.listen.empty()) return InvalidArgument("no listen address given");
  auto impl = std::make_unique<Impl>();
  impl->state = std::make_unique<ServerState>(std::move(options), std::move(handler),
                                              threads);
  ServerState& state = *impl->state;
  if (!state.options.tls_cert_file.empty() || !state.options.tls_key_file.empty()) {
    ENVELOPE_ASSIGN_OR_RETURN(state.tls, internal::MakeServerTlsContext(
                                             state.options.tls_cert_file,
                                             state.options.tls_key_file));
  }
  for (const std::string& spec : state.options.listen) {
    ENVELOPE_ASSIGN_OR_RETURN(std::vector<tcp::endpoint> endpoints, ResolveListen(spec));
    for (const tcp::endpoint& ep : endpoints) {
      auto acceptor = std::make_unique<tcp::acceptor>(state.control());
      boost::system::error_code ec;
      acceptor->open(ep.protocol(), ec);
      if (!ec) acceptor->set_option(net::socket_base::reuse_address(true), ec);
      if (!ec && ep.address().is_v6()) acceptor->set_option(net::ip::v6_only(true), ec);
      if (!ec) acceptor->bind(ep, ec);
      if (!ec) acceptor->listen(net::socket_base::max_listen_connections, ec);
      if (ec) {
        return Status(Code::kUnavailable, "listen " + spec + ": " + BindErrorText(ec));
      }
      state.acceptors.push_back(std::move(acceptor));
    }
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

std::vector<std::string> HttpServer::endpoints() const {
  std::vector<std::string> out;
  for (const auto& acceptor : impl_->state->acceptors) {
    boost::system::error_code ec;
    const tcp::endpoint ep = acceptor->local_endpoint(ec);
    if (!ec) out.push_back(EndpointString(ep));
  }
  return out;
}

std::vector<std::uint16_t> HttpServer::ports() const {
  std::vector<std::uint16_t> out;
  for (const auto& acceptor : impl_->state->acceptors) {
    boost::system::error_code ec;
    const tcp::endpoint ep = acceptor->local_endpoint(ec);
    if (!ec) out.push_back(ep.port());
  }
  return out;
}

void HttpServer::Run() {
  ServerState& state = *impl_->state;
  if (state.options.handle_signals) {
    state.signals.emplace(state.control(), SIGINT, SIGTERM);
    state.signals->async_wait([&state](const boost::system::error_code& ec, int) {
      if (!ec) state.DoShutdown();
    });
  }
  for (auto& acceptor : state.acceptors) state.Accept(*acceptor);
  std::vector<std::thread> workers;
  for (auto& loop : state.loops) {
    workers.emplace_back([&loop] { loop->run(); });
  }
  state.control().run();  // returns after DoShutdown: acceptors and signals closed
  for (std::thread& t : workers) t.join();
}

void HttpServer::Shutdown() {
  ServerState& state = *impl_->state;
  net::post(state.control(), [&state] { state.DoShutdown(); });
}

}  // namespace envelope::kms::server
