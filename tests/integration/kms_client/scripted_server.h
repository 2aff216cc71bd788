#pragma once
// A tiny misbehaving HTTP server for client tests: one thread on a loopback port, answering each
// accepted connection with the next scripted action. Connections are handled one at a time and
// closed after the action (responses carry "Connection: close").
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace envelope::kms::testing {

class ScriptedServer {
 public:
  enum class Kind {
    kRespond,        // read the request, send `data`, close
    kSilent,         // accept, read nothing back, hold the connection open until shutdown
    kResetMidway,    // read the request, send `data` (a partial response), then reset (RST)
  };
  struct Action {
    Kind kind;
    std::string data;
  };

  // Listens on 127.0.0.1 (or ::1 with ipv6) on an ephemeral port.
  explicit ScriptedServer(bool ipv6 = false) {
    fd_ = ::socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (ipv6) {
      sockaddr_in6 a{};
      a.sin6_family = AF_INET6;
      a.sin6_addr = in6addr_loopback;
      ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a));
    } else {
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a));
    }
    ::listen(fd_, 16);
    sockaddr_storage ss{};
    socklen_t len = sizeof(ss);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&ss), &len);
    port_ = ntohs(ipv6 ? reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port
                       : reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
    thread_ = std::thread([this] { Loop(); });
  }
  ~ScriptedServer() {
    stop_ = true;
    thread_.join();
    for (int fd : held_) ::close(fd);
    ::close(fd_);
  }

  void Push(Kind kind, std::string data = {}) {
    std::lock_guard<std::mutex> lock(mu_);
    script_.push_back({kind, std::move(data)});
  }
  void PushKmsError(int status, const std::string& type) {
    Push(Kind::kRespond, Response(status, "{\"__type\":\"" + type + "\",\"message\":\"scripted\"}"));
  }
  void PushOk(const std::string& body) { Push(Kind::kRespond, Response(200, body)); }

  static std::string Response(int status, const std::string& body) {
    return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/x-amz-json-1.1\r\n" +
           "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  }

  std::uint16_t port() const { return port_; }
  int connections() const { return connections_.load(); }

 private:
  void Loop() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      const int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      ++connections_;
      Action a{Kind::kRespond, Response(500, "{\"__type\":\"KMSInternalException\"}")};
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (!script_.empty()) {
          a = script_.front();
          script_.pop_front();
        }
      }
      Handle(c, a);
    }
  }

  void Handle(int c, const Action& a) {
    if (a.kind == Kind::kSilent) {
      held_.push_back(c);
      return;
    }
    ReadRequest(c);
    (void)!::write(c, a.data.data(), a.data.size());
    if (a.kind == Kind::kResetMidway) {
      linger l{1, 0};  // close with RST
      ::setsockopt(c, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
    }
    ::close(c);
  }

  // Reads headers and a Content-Length body (bounded wait so a broken client cannot stall us).
  static void ReadRequest(int c) {
    std::string in;
    char buf[4096];
    std::size_t need = std::string::npos;
    while (in.size() < need) {
      pollfd p{c, POLLIN, 0};
      if (::poll(&p, 1, 2000) <= 0) return;
      const ssize_t n = ::read(c, buf, sizeof(buf));
      if (n <= 0) return;
      in.append(buf, n);
      const std::size_t end = in.find("\r\n\r\n");
      if (need == std::string::npos && end != std::string::npos) {
        std::size_t len = 0;
        const std::size_t cl = in.find("Content-Length: ");
        if (cl != std::string::npos && cl < end) len = std::stoul(in.substr(cl + 16));
        need = end + 4 + len;
      }
    }
  }

  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::mutex mu_;
  std::deque<Action> script_;
  std::vector<int> held_;  // only touched by the server thread until the destructor joins
  std::thread thread_;
};

}  // namespace envelope::kms::testing
