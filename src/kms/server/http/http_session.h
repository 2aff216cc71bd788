#pragma once
// Internal to http_server.cc: one HTTP/1.1 connection, over plain TCP (beast::tcp_stream) or TLS
// (beast::ssl_stream<beast::tcp_stream>); the two differ only in the handshake that starts a TLS
// connection. Includes Boost.Beast, so only the server's translation unit may include it.
#include <array>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <optional>
#include <string>
#include <type_traits>

#include "kms/server/http/http_server_state.h"

namespace envelope::kms::server::internal {

namespace beast = boost::beast;
namespace http = beast::http;

inline constexpr std::chrono::seconds kLingerTime{2};  // draining a refused upload before closing

// "127.0.0.1:4599" / "[::1]:4599".
std::string EndpointString(const tcp::endpoint& ep);

// One connection. All its handlers run on its event loop's single thread, one request at a time,
// so pipelined requests are answered in order.
template <class Stream>
class Session final : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
 public:
  // `tls_args` are the TLS stream's extra constructor arguments (its ssl::context), or none.
  template <class... TlsArgs>
  Session(tcp::socket&& socket, ServerState& server, std::size_t loop, TlsArgs&... tls_args)
      : stream_(std::move(socket), tls_args...), server_(server), loop_(loop) {
    boost::system::error_code ec;
    const tcp::endpoint remote = Tcp().socket().remote_endpoint(ec);
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
      server_.sessions.emplace(this, this->weak_from_this());
    }
    net::dispatch(stream_.get_executor(), [self = Self()] {
      if constexpr (kTls) {
        self->Handshake();
      } else {
        self->ReadHeader();
      }
    });
  }

  void RequestShutdown() override {
    net::post(stream_.get_executor(), [self = Self()] { self->OnServerShutdown(); });
  }

 private:
  void OnServerShutdown() {
    closing_ = true;
    if (state_ == State::kIdle) Tcp().cancel();
  }

  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;
  enum class State { kIdle, kBusy, kClosed };

  std::shared_ptr<Session> Self() { return this->shared_from_this(); }
  beast::tcp_stream& Tcp() { return beast::get_lowest_layer(stream_); }

  // TLS only: the handshake, bounded like a request; a failed one just closes the connection.
  void Handshake() {
    state_ = State::kBusy;
    Tcp().expires_after(server_.options.request_timeout);
    stream_.async_handshake(net::ssl::stream_base::server, [self = Self()](beast::error_code ec) {
      if (ec) return self->Close();
      self->ReadHeader();
    });
  }

  void ReadHeader() {
    if (closing_) return Close();
    state_ = State::kIdle;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.options.max_header_bytes));
    parser_->body_limit(server_.options.max_body_bytes);
    Tcp().expires_after(server_.options.idle_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::OnHeader, Self()));
  }

  void OnHeader(beast::error_code ec, std::size_t) {
    if (ec) return OnReadError(ec);
    state_ = State::kBusy;
    Tcp().expires_after(server_.options.request_timeout);
    const auto& req = parser_->get();
    if (!parser_->is_done() && beast::iequals(req[http::field::expect], "100-continue")) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                       [self = Self()](beast::error_code wec, std::size_t) {
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
                     [self = Self()](beast::error_code ec, std::size_t) {
                       if (ec) return self->OnReadError(ec);
                       self->Handle();
                     });
  }

  void OnReadError(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      return SendError(
          413, "RequestEntityTooLargeException",
          "Request body exceeds " + std::to_string(server_.options.max_body_bytes) + " bytes.");
    }
    if (ec == http::error::header_limit) {
      return SendError(
          431, "RequestHeaderFieldsTooLargeException",
          "Request headers exceed " + std::to_string(server_.options.max_header_bytes) + " bytes.");
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
    const bool keep_alive = req.keep_alive() && !response.close && !closing_ && !server_.Stopping();
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
    Tcp().expires_after(server_.options.request_timeout);
    http::async_write(stream_, response_,
                      [self = Self(), keep_alive](beast::error_code ec, std::size_t) {
                        if (ec) return self->Close();
                        if (keep_alive) return self->ReadHeader();
                        self->LingerClose();
                      });
  }

  // Fault injection: never answer; the connection counts as idle, so shutdown closes it.
  void Hang(std::chrono::milliseconds hang_for) {
    state_ = State::kIdle;
    Tcp().expires_after(hang_for);
    Drain();
  }

  // Fault injection: the head and half the body, then an RST (SO_LINGER 0 and close).
  void ResetMidResponse(const HttpResponse& out) {
    raw_ = "HTTP/1.1 " + std::to_string(out.status) + " OK\r\nContent-Type: " + out.content_type +
           "\r\nContent-Length: " + std::to_string(out.body.size()) + "\r\n\r\n" +
           out.body.substr(0, out.body.size() / 2);
    Tcp().expires_after(server_.options.request_timeout);
    net::async_write(stream_, net::buffer(raw_), [self = Self()](beast::error_code, std::size_t) {
      beast::error_code ec;
      self->Tcp().socket().set_option(net::socket_base::linger(true, 0), ec);
      self->state_ = State::kClosed;
      self->Tcp().close();
    });
  }

  // Half-closes and drains what the client still sends (e.g. the rest of a refused upload), so
  // that it reads our response before the connection goes; bounded by kLingerTime.
  void LingerClose() {
    beast::error_code ec;
    Tcp().socket().shutdown(tcp::socket::shutdown_send, ec);
    Tcp().expires_after(kLingerTime);
    Drain();
  }

  void Drain() {
    stream_.async_read_some(net::buffer(drain_),
                            [self = Self()](beast::error_code ec, std::size_t) {
                              if (ec) return self->Close();
                              self->Drain();
                            });
  }

  void Close() {
    state_ = State::kClosed;
    beast::error_code ec;
    Tcp().socket().shutdown(tcp::socket::shutdown_both, ec);
    Tcp().close();
  }

  Stream stream_;
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

using PlainSession = Session<beast::tcp_stream>;
using TlsSession = Session<beast::ssl_stream<beast::tcp_stream>>;

}  // namespace envelope::kms::server::internal
