// The only translation unit that includes Boost.Beast/Asio (they compile slowly).
#include "kms/server/http/http_server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "core/log.h"

namespace envelope::kms::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr std::chrono::seconds kLingerTime{2};  // draining a refused upload before closing

std::string EndpointString(const tcp::endpoint& ep) {
  const std::string host = ep.address().to_string();
  const std::string port = std::to_string(ep.port());
  return ep.address().is_v6() ? "[" + host + "]:" + port : host + ":" + port;
}

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

class Session;

// Everything the sessions share. Lives as long as the HttpServer.
//
// One event loop (io_context) per worker thread, each run by exactly that thread: a connection
// lives on one loop for its whole life, so its handlers never contend for a shared scheduler
// lock or wake another thread. The acceptors, signals and shutdown live on a separate control
// loop, run by the thread that calls Run() (so a slow handler cannot delay a shutdown);
// accepted sockets are handed to the worker loops round-robin.
struct ServerState {
  HttpServerOptions options;
  HttpHandler handler;
  std::vector<std::unique_ptr<net::io_context>> loops;
  // Keep every loop running while there is nothing to do, until DoShutdown releases them.
  std::vector<net::executor_work_guard<net::io_context::executor_type>> keep_running;
  std::size_t next_loop = 0;                     // guarded by mu; ties go round-robin
  std::vector<std::size_t> connections_per_loop;  // guarded by mu
  net::io_context control_loop{1};
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
  std::optional<net::signal_set> signals;
  std::mutex mu;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;  // guarded by mu
  bool stopping = false;                                          // guarded by mu
  std::atomic<bool> stopping_flag{false};  // the same, for the per-request check without mu

  ServerState(HttpServerOptions o, HttpHandler h, int threads)
      : options(std::move(o)), handler(std::move(h)) {
    for (int i = 0; i < threads; ++i) {
      loops.push_back(std::make_unique<net::io_context>(1));
      keep_running.push_back(net::make_work_guard(*loops.back()));
    }
    connections_per_loop.assign(loops.size(), 0);
  }
  net::io_context& control() { return control_loop; }
  bool Stopping() const { return stopping_flag.load(std::memory_order_relaxed); }
  void Accept(tcp::acceptor& acceptor);
  std::size_t PickLoop();              // counts a new connection on the returned loop
  void ReleaseLoop(std::size_t loop);  // the connection on `loop` is gone
  void DoShutdown();
};

// One connection. All its handlers run on its event loop's single thread, one request at a time,
// so pipelined requests are answered in order.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, ServerState& server, std::size_t loop)
      : stream_(std::move(socket)), server_(server), loop_(loop) {
    boost::system::error_code ec;
    const tcp::endpoint remote = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = EndpointString(remote);
  }
  ~Session() {
    std::lock_guard lock(server_.mu);
    server_.sessions.erase(this);
    --server_.connections_per_loop[loop_];
  }

  void Start() {
    {
      std::lock_guard lock(server_.mu);
      if (server_.stopping) return;  // dropped: the socket closes with the session
      server_.sessions.emplace(this, weak_from_this());
    }
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
  }

  // Thread-safe: idle connections close now, busy ones after their response.
  void RequestShutdown() {
    net::post(stream_.get_executor(), [self = shared_from_this()] { self->OnServerShutdown(); });
  }

 private:
  void OnServerShutdown() {
    closing_ = true;
    if (state_ == State::kIdle) stream_.cancel();
  }

  enum class State { kIdle, kBusy, kClosed };

  void ReadHeader() {
    if (closing_) return Close();
    state_ = State::kIdle;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.options.max_header_bytes));
    parser_->body_limit(server_.options.max_body_bytes);
    stream_.expires_after(server_.options.idle_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, std::size_t) {
    if (ec) return OnReadError(ec);
    state_ = State::kBusy;
    stream_.expires_after(server_.options.request_timeout);
    const auto& req = parser_->get();
    if (!parser_->is_done() && beast::iequals(req[http::field::expect], "100-continue")) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                       [self = shared_from_this()](beast::error_code wec, std::size_t) {
                         if (wec) return self->Close();
                         self->ReadBody();
                       });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    if (parser_->is_done()) return Handle();
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (ec) return self->OnReadError(ec);
                       self->Handle();
                     });
  }

  void OnReadError(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      return SendError(413, "RequestEntityTooLargeException",
                       "Request body exceeds " + std::to_string(server_.options.max_body_bytes) +
                           " bytes.");
    }
    if (ec == http::error::header_limit) {
      return SendError(431, "RequestHeaderFieldsTooLargeException",
                       "Request headers exceed " +
                           std::to_string(server_.options.max_header_bytes) + " bytes.");
    }
    if (ec.category() == http::make_error_code(http::error::bad_method).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message) {
      return SendError(400, "SerializationException", "Malformed HTTP request: " + ec.message());
    }
    Close();  // end of stream, timeout, reset, shutdown
  }

  void Handle() {
    auto& req = parser_->get();
    // request_ is reused across the connection's requests: assigning into its strings keeps
    // their capacity, so a kept-alive connection stops allocating for the header copies.
    HttpRequest& request = request_;
    const auto method = req.method_string();
    const auto target = req.target();
    request.method.assign(method.data(), method.size());
    request.target.assign(target.data(), target.size());
    std::size_t count = 0;
    for (const auto& field : req) {
      if (count == request.headers.size()) request.headers.emplace_back();
      const auto name = field.name_string();
      const auto value = field.value();
      request.headers[count].name.assign(name.data(), name.size());
      request.headers[count].value.assign(value.data(), value.size());
      ++count;
    }
    request.headers.resize(count);
    request.body = std::move(req.body());
    if (request.remote.empty()) request.remote = remote_;
    HttpResponse response = server_.handler(request);
    if (response.fault == HttpResponse::Fault::kHang) return Hang(response.hang_for);
    if (response.fault == HttpResponse::Fault::kReset) return ResetMidResponse(response);
    const bool keep_alive =
        req.keep_alive() && !response.close && !closing_ && !server_.Stopping();
    Write(std::move(response), keep_alive, req.version() == 10 ? 10 : 11);
  }

  void SendError(int status, std::string_view type, const std::string& message) {
    state_ = State::kBusy;
    HttpResponse response;
    response.status = status;
    response.content_type = "application/x-amz-json-1.1";
    response.body = JsonErrorBody(type, message);
    Write(std::move(response), /*keep_alive=*/false, 11);
  }

  void Write(HttpResponse out, bool keep_alive, unsigned version) {
    response_ = {};
    response_.version(version);
    response_.result(static_cast<unsigned>(out.status));
    response_.set(http::field::server, "envelope-kms");
    if (!out.content_type.empty()) response_.set(http::field::content_type, out.content_type);
    for (const HttpHeader& h : out.headers) response_.insert(h.name, h.value);
    response_.body() = std::move(out.body);
    response_.keep_alive(keep_alive);
    response_.prepare_payload();
    stream_.expires_after(server_.options.request_timeout);
    http::async_write(stream_, response_,
                      [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                        if (ec) return self->Close();
                        if (keep_alive) return self->ReadHeader();
                        self->LingerClose();
                      });
  }

  // Fault injection: never answer; the connection counts as idle, so shutdown closes it.
  void Hang(std::chrono::milliseconds hang_for) {
    state_ = State::kIdle;
    stream_.expires_after(hang_for);
    Drain();
  }

  // Fault injection: the head and half the body, then an RST (SO_LINGER 0 and close).
  void ResetMidResponse(const HttpResponse& out) {
    raw_ = "HTTP/1.1 " + std::to_string(out.status) + " OK\r\nContent-Type: " + out.content_type +
           "\r\nContent-Length: " + std::to_string(out.body.size()) + "\r\n\r\n" +
           out.body.substr(0, out.body.size() / 2);
    stream_.expires_after(server_.options.request_timeout);
    net::async_write(stream_, net::buffer(raw_), [self = shared_from_this()](beast::error_code,
                                                                             std::size_t) {
      beast::error_code ec;
      self->stream_.socket().set_option(net::socket_base::linger(true, 0), ec);
      self->state_ = State::kClosed;
      self->stream_.close();
    });
  }

  // Half-closes and drains what the client still sends (e.g. the rest of a refused upload), so
  // that it reads our response before the connection goes; bounded by kLingerTime.
  void LingerClose() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(kLingerTime);
    Drain();
  }

  void Drain() {
    stream_.async_read_some(net::buffer(drain_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->Close();
                              self->Drain();
                            });
  }

  void Close() {
    state_ = State::kClosed;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  ServerState& server_;
  const std::size_t loop_;  // index of the worker loop this connection lives on
  std::string remote_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpRequest request_;  // the current request as the handler sees it
  http::response<http::string_body> response_;
  std::array<char, 4096> drain_{};
  std::string raw_;  // a reset fault's partial response
  State state_ = State::kIdle;
  bool closing_ = false;
};

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
        std::make_shared<Session>(std::move(moved), *this, loop)->Start();
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
  std::vector<std::shared_ptr<Session>> live;
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

}  // namespace

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
