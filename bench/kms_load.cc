// kms_load: a small closed-loop HTTP/1.1 load generator for KMS servers (ours and moto_server).
//
//   kms_load --host 127.0.0.1 --port 4599 --connections 8 --seconds 10 \
//            --operation GenerateDataKey --body '{"KeyId":"...","KeySpec":"AES_256"}' \
//            --access-key AKIA... --secret ... [--region us-east-1]
//
// Each connection is one thread that sends a request, waits for the whole response, records the
// latency and sends the next (keep-alive; it reconnects when the server closes, as moto does).
// Every connection signs its request with SigV4 once at start and replays it: the server still
// verifies every signature, and the signature stays valid for the 5-minute window, so the load
// generator spends its CPU on I/O rather than on signing (it shares the machine with the server).
// Prints one line: connections, requests, req/s, p50/p99/max latency in ms, and errors.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "core/bytes.h"
#include "kms/protocol/sigv4.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace protocol = envelope::kms::protocol;

struct Options {
  std::string host = "127.0.0.1";
  int port = 4599;
  int connections = 1;
  double seconds = 10;
  std::string operation = "GenerateDataKey";
  std::string body = "{}";
  std::string access_key = "testing";
  std::string secret = "testing";
  std::string region = "us-east-1";
};

std::string SignedRequest(const Options& o) {
  const std::string host = o.host + ":" + std::to_string(o.port);
  const std::string date = protocol::FormatAmzDate(std::chrono::system_clock::now());
  std::vector<protocol::HttpHeader> headers = {
      {"Host", host},
      {"Content-Type", "application/x-amz-json-1.1"},
      {"X-Amz-Target", "TrentService." + o.operation},
      {"X-Amz-Date", date}};
  const std::string hash = protocol::PayloadHash(o.body);
  const protocol::SigV4Credentials creds{o.access_key,
                                         envelope::SecretBytes(envelope::AsBytes(o.secret)), ""};
  const std::string auth = protocol::AuthorizationHeader({"POST", "/", "", headers, hash}, creds,
                                                         date, o.region, "kms");
  std::string out = "POST / HTTP/1.1\r\n";
  for (const auto& h : headers) out += h.name + ": " + h.value + "\r\n";
  out += "Authorization: " + auth + "\r\nContent-Length: " + std::to_string(o.body.size()) +
         "\r\n\r\n" + o.body;
  return out;
}

int Connect(const Options& o) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(o.port));
  inet_pton(AF_INET, o.host.c_str(), &addr.sin_addr);
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Reads one response; returns its status (0 on a broken connection). Sets `close_after`.
int ReadResponse(int fd, std::string& buf, bool& close_after) {
  char chunk[16384];
  std::size_t end;
  while ((end = buf.find("\r\n\r\n")) == std::string::npos) {
    const ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
    if (n <= 0) return 0;
    buf.append(chunk, static_cast<std::size_t>(n));
  }
  std::string head = buf.substr(0, end);
  for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const int status = std::atoi(head.c_str() + 9);
  std::size_t length = 0;
  if (auto p = head.find("content-length:"); p != std::string::npos) {
    length = std::strtoul(head.c_str() + p + 15, nullptr, 10);
  }
  close_after = head.find("connection: close") != std::string::npos;
  while (buf.size() < end + 4 + length) {
    const ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
    if (n <= 0) return 0;
    buf.append(chunk, static_cast<std::size_t>(n));
  }
  buf.erase(0, end + 4 + length);
  return status;
}

struct Worker {
  std::vector<double> latencies_ms;
  long errors = 0;
};

void Run(const Options& o, Clock::time_point stop, Worker& w) {
  const std::string request = SignedRequest(o);
  int fd = -1;
  std::string buf;
  while (Clock::now() < stop) {
    if (fd < 0 && (fd = Connect(o)) < 0) {
      ++w.errors;
      continue;
    }
    const auto start = Clock::now();
    bool close_after = false;
    int status = 0;
    if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
        static_cast<ssize_t>(request.size())) {
      status = ReadResponse(fd, buf, close_after);
    }
    const auto done = Clock::now();
    if (status == 200) {
      w.latencies_ms.push_back(std::chrono::duration<double, std::milli>(done - start).count());
    } else {
      ++w.errors;
    }
    if (status == 0 || close_after) {
      close(fd);
      fd = -1;
      buf.clear();
    }
  }
  if (fd >= 0) close(fd);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--host") o.host = v;
    else if (k == "--port") o.port = std::stoi(v);
    else if (k == "--connections") o.connections = std::stoi(v);
    else if (k == "--seconds") o.seconds = std::stod(v);
    else if (k == "--operation") o.operation = v;
    else if (k == "--body") o.body = v;
    else if (k == "--access-key") o.access_key = v;
    else if (k == "--secret") o.secret = v;
    else if (k == "--region") o.region = v;
    else {
      std::fprintf(stderr, "kms_load: unknown option %s\n", k.c_str());
      return 2;
    }
  }
  std::vector<Worker> workers(static_cast<std::size_t>(o.connections));
  std::vector<std::thread> threads;
  const auto begin = Clock::now();
  const auto stop = begin + std::chrono::duration_cast<Clock::duration>(
                                std::chrono::duration<double>(o.seconds));
  for (auto& w : workers) threads.emplace_back([&o, stop, &w] { Run(o, stop, w); });
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - begin).count();
  std::vector<double> all;
  long errors = 0;
  for (auto& w : workers) {
    all.insert(all.end(), w.latencies_ms.begin(), w.latencies_ms.end());
    errors += w.errors;
  }
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) {
    return all.empty() ? 0.0 : all[std::min(all.size() - 1, static_cast<std::size_t>(p * all.size()))];
  };
  std::printf("connections=%d requests=%zu rps=%.0f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f errors=%ld\n",
              o.connections, all.size(), all.size() / elapsed, pct(0.50), pct(0.99),
              all.empty() ? 0.0 : all.back(), errors);
  return all.empty() ? 1 : 0;
}
