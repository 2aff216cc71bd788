#pragma once
// Internal to http_server.cc and http_session.h: what the connections of one HttpServer share.
// Includes Boost.Asio, so only the server's translation unit may include it.
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "kms/server/http/http_server.h"

namespace envelope::kms::server::internal {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// A connection as the server sees it, whatever its transport (plain TCP or TLS).
class SessionBase {
 public:
  virtual ~SessionBase() = default;
  // Thread-safe: idle connections close now, busy ones after their response.
  virtual void RequestShutdown() = 0;
};

// One event loop (io_context) per worker thread, each run by exactly that thread: a connection
// lives on one loop for its whole life, so its handlers never contend for a shared scheduler
// lock or wake another thread. The acceptors, signals and shutdown live on a separate control
// loop, run by the thread that calls Run() (so a slow handler cannot delay a shutdown);
// accepted sockets are handed to the worker loops round-robin. Lives as long as the HttpServer.
struct ServerState {
  HttpServerOptions options;
  HttpHandler handler;
  std::unique_ptr<net::ssl::context> tls;  // null: plain HTTP
  std::vector<std::unique_ptr<net::io_context>> loops;
  // Keep every loop running while there is nothing to do, until DoShutdown releases them.
  std::vector<net::executor_work_guard<net::io_context::executor_type>> keep_running;
  std::size_t next_loop = 0;                      // guarded by mu; ties go round-robin
  std::vector<std::size_t> connections_per_loop;  // guarded by mu
  net::io_context control_loop{1};
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
  std::optional<net::signal_set> signals;
  std::mutex mu;
  std::unordered_map<SessionBase*, std::weak_ptr<SessionBase>> sessions;  // guarded by mu
  bool stopping = false;                                                  // guarded by mu
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

}  // namespace envelope::kms::server::internal
