#include "kms/server/http/raw_http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/bytes.h"

namespace envelope::kms::testing {
namespace {

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string RawHttpResponse::Header(std::string_view name) const {
  for (const auto& h : headers) {
    if (IEquals(h.name, name)) return h.value;
  }
  return "";
}

Result<RawHttpClient> RawHttpClient::Connect(const std::string& host, std::uint16_t port) {
  sockaddr_storage addr{};
  socklen_t len = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&addr);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&addr);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    len = sizeof(sockaddr_in);
  } else if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    len = sizeof(sockaddr_in6);
  } else {
    return InvalidArgument("not an IP literal: " + host);
  }
  const int fd = ::socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Unavailable(std::string("socket: ") + std::strerror(errno));
  timeval timeout{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0) {
    const std::string error = std::strerror(errno);
    ::close(fd);
    return Unavailable("connect " + host + ":" + std::to_string(port) + ": " + error);
  }
  return RawHttpClient(fd);
}

RawHttpClient::RawHttpClient(RawHttpClient&& other) noexcept
    : fd_(other.fd_), buffer_(std::move(other.buffer_)) {
  other.fd_ = -1;
}

RawHttpClient::~RawHttpClient() {
  if (fd_ >= 0) ::close(fd_);
}

Status RawHttpClient::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Unavailable(std::string("send: ") + std::strerror(errno));
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return OkStatus();
}

Status RawHttpClient::Fill() {
  char chunk[16384];
  while (true) {
    const ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) return Unavailable("connection closed by the server");
    if (n < 0) return Unavailable(std::string("recv: ") + std::strerror(errno));
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return OkStatus();
  }
}

Result<RawHttpResponse> RawHttpClient::Read() {
  std::size_t end;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    ENVELOPE_RETURN_IF_ERROR(Fill());
  }
  RawHttpResponse response;
  const std::string head = buffer_.substr(0, end);
  buffer_.erase(0, end + 4);
  std::size_t line_end = head.find("\r\n");
  const std::string status_line = head.substr(0, line_end);
  if (status_line.size() < 12 || !status_line.starts_with("HTTP/1.")) {
    return Unavailable("bad status line: " + status_line);
  }
  response.status = std::stoi(status_line.substr(9, 3));
  std::size_t content_length = 0;
  while (line_end != std::string::npos) {
    const std::size_t start = line_end + 2;
    line_end = head.find("\r\n", start);
    const std::string line = head.substr(start, line_end == std::string::npos ? line_end
                                                                              : line_end - start);
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    response.headers.push_back({line.substr(0, colon), value});
    if (IEquals(line.substr(0, colon), "content-length")) content_length = std::stoul(value);
  }
  while (buffer_.size() < content_length) ENVELOPE_RETURN_IF_ERROR(Fill());
  response.body = buffer_.substr(0, content_length);
  buffer_.erase(0, content_length);
  return response;
}

Result<RawHttpResponse> RawHttpClient::RoundTrip(std::string_view request) {
  ENVELOPE_RETURN_IF_ERROR(Send(request));
  return Read();
}

bool RawHttpClient::ServerClosed() {
  char chunk[16384];
  while (true) {
    const ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n > 0) continue;  // data still in flight: discard it
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) return true;
    return errno != EAGAIN && errno != EWOULDBLOCK;  // reset counts as closed; timeout does not
  }
}

std::string BuildRequest(std::string_view method, std::string_view target,
                         const std::vector<protocol::HttpHeader>& headers, std::string_view body) {
  std::string out;
  out.append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
  for (const auto& h : headers) out.append(h.name).append(": ").append(h.value).append("\r\n");
  out.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n\r\n");
  out.append(body);
  return out;
}

std::string SignedKmsRequest(std::string_view host, std::string_view operation,
                             std::string_view body, std::string_view access_key_id,
                             std::string_view secret, std::string_view region,
                             std::string_view amz_date) {
  std::vector<protocol::HttpHeader> headers = {
      {"Host", std::string(host)},
      {"Content-Type", "application/x-amz-json-1.1"},
      {"X-Amz-Target", "TrentService." + std::string(operation)},
      {"X-Amz-Date", std::string(amz_date)}};
  const std::string hash = protocol::PayloadHash(body);
  const protocol::SigV4Request request{"POST", "/", "", headers, hash};
  const protocol::SigV4Credentials credentials{std::string(access_key_id),
                                               SecretBytes(AsBytes(secret)), ""};
  headers.push_back({"Authorization", protocol::AuthorizationHeader(request, credentials, amz_date,
                                                                    region, "kms")});
  return BuildRequest("POST", "/", headers, body);
}

}  // namespace envelope::kms::testing
