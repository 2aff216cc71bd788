// KmsClient over real libcurl against misbehaving loopback servers: silent servers, a full accept
// queue (black-holed connect), 5xx then success, throttling, business errors, resets mid-response.
// Timing bounds are generous on the upper side for a loaded 2-core machine, but the read timeout
// must fire within 100 ms of its setting.
#include <fcntl.h>
#include <gtest/gtest.h>

#include <chrono>

#include "core/log.h"
#include "kms/client/kms_client.h"
#include "kms/client/testing_fakes.h"
#include "tests/integration/kms_client/scripted_server.h"

namespace envelope::kms {
namespace {

using std::chrono::milliseconds;
using testing::ScriptedServer;
using Steady = std::chrono::steady_clock;

constexpr const char* kDecryptOk = R"({"KeyId":"arn:k","Plaintext":"AAEC","EncryptionAlgorithm":"SYMMETRIC_DEFAULT"})";

ClientOptions Options(std::uint16_t port, RetryMode mode = RetryMode::kStandard) {
  ClientOptions o;
  o.endpoint_url = "http://127.0.0.1:" + std::to_string(port);
  o.region = "us-east-1";
  o.credentials.access_key_id = "AKIDTEST";
  o.credentials.secret_access_key = SecretBytes(Bytes{'s', 'e', 'c', 'r', 'e', 't'});
  o.retry_mode = mode;
  o.connect_timeout = milliseconds(500);
  o.read_timeout = milliseconds(300);
  o.operation_timeout = milliseconds(5000);
  return o;
}

// No backoff sleeps (U = 0), so elapsed time is attempts only.
testing::ScriptedRandom& NoJitter() {
  static testing::ScriptedRandom r(0.0);
  return r;
}

std::unique_ptr<KmsClient> Client(ClientOptions o) {
  auto c = KmsClient::Create(std::move(o), RealClock(), NoJitter());
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return std::move(c).value();
}

DecryptRequest Req() {
  DecryptRequest r;
  r.ciphertext_blob = {1, 2, 3};
  return r;
}

double MsSince(Steady::time_point t) {
  return std::chrono::duration<double, std::milli>(Steady::now() - t).count();
}

TEST(KmsClientFaults, SilentServerFailsWithinReadTimeoutPerAttempt) {
  ScriptedServer server;
  server.Push(ScriptedServer::Kind::kSilent);
  server.Push(ScriptedServer::Kind::kSilent);
  ClientOptions o = Options(server.port());
  o.max_attempts = 2;
  auto client = Client(std::move(o));
  const auto start = Steady::now();
  auto r = client->Decrypt(Req());
  const double ms = MsSince(start);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kDeadlineExceeded);
  EXPECT_NE(r.status().message().find("read_timeout"), std::string::npos) << r.status().message();
  EXPECT_EQ(server.connections(), 2);
  EXPECT_GE(ms, 2 * 300.0);
  EXPECT_LT(ms, 2 * 300.0 + 2 * 100.0) << "read timeout must be accurate to < 100 ms per attempt";
}

TEST(KmsClientFaults, SilentServerNeverOutlivesTheOperationTimeout) {
  ScriptedServer server;
  for (int i = 0; i < 10; ++i) server.Push(ScriptedServer::Kind::kSilent);
  ClientOptions o = Options(server.port());
  o.max_attempts = 10;
  o.read_timeout = milliseconds(5000);
  o.operation_timeout = milliseconds(700);
  auto client = Client(std::move(o));
  const auto start = Steady::now();
  auto r = client->Decrypt(Req());
  const double ms = MsSince(start);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kDeadlineExceeded);
  EXPECT_GE(ms, 690.0);
  EXPECT_LT(ms, 800.0);
}

// A listening socket that never accepts, with its accept queue filled: the kernel drops further
// SYNs, so a connect hangs exactly like a black-holed address (reference §6.3).
class FullBacklog {
 public:
  FullBacklog() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a));
    ::listen(fd_, 0);
    socklen_t len = sizeof(a);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    for (int i = 0; i < 4; ++i) {  // backlog 0 queues one; the rest are left half-open
      int c = ::socket(AF_INET, SOCK_STREAM, 0);
      ::fcntl(c, F_SETFL, O_NONBLOCK);
      (void)::connect(c, reinterpret_cast<sockaddr*>(&a), sizeof(a));
      fillers_.push_back(c);
    }
  }
  ~FullBacklog() {
    for (int c : fillers_) ::close(c);
    ::close(fd_);
  }
  std::uint16_t port() const { return port_; }

 private:
  int fd_;
  std::uint16_t port_;
  std::vector<int> fillers_;
};

TEST(KmsClientFaults, BlackHoledConnectFailsWithinConnectTimeout) {
  FullBacklog hole;
  ClientOptions o = Options(hole.port());
  o.max_attempts = 1;
  o.connect_timeout = milliseconds(400);
  auto client = Client(std::move(o));
  const auto start = Steady::now();
  auto r = client->Decrypt(Req());
  const double ms = MsSince(start);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kDeadlineExceeded);
  EXPECT_NE(r.status().message().find("connect_timeout"), std::string::npos)
      << r.status().message();
  EXPECT_GE(ms, 390.0);
  EXPECT_LT(ms, 550.0);
}

TEST(KmsClientFaults, ServerErrorsThenSuccessAreRetried) {
  ScriptedServer server;
  server.PushKmsError(500, "KMSInternalException");
  server.PushKmsError(503, "DependencyTimeoutException");
  server.PushOk(kDecryptOk);
  auto client = Client(Options(server.port()));
  auto r = client->Decrypt(Req());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->key_id, "arn:k");
  EXPECT_EQ(server.connections(), 3);
  EXPECT_EQ(client->metrics().retries, 2);
}

TEST(KmsClientFaults, ThrottlingIsRetriedInStandardMode) {
  ScriptedServer server;
  server.PushKmsError(400, "ThrottlingException");
  server.PushOk(kDecryptOk);
  auto client = Client(Options(server.port()));
  ASSERT_TRUE(client->Decrypt(Req()).ok());
  EXPECT_EQ(server.connections(), 2);
  EXPECT_EQ(client->metrics().throttles, 1);
}

TEST(KmsClientFaults, ThrottlingIsSurfacedAtOnceWithMaxAttemptsOne) {
  ScriptedServer server;
  server.PushKmsError(400, "ThrottlingException");
  server.PushOk(kDecryptOk);
  ClientOptions o = Options(server.port());
  o.max_attempts = 1;
  auto client = Client(std::move(o));
  auto r = client->Decrypt(Req());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().error_type(), "ThrottlingException");
  EXPECT_EQ(r.status().code(), Code::kResourceExhausted);
  EXPECT_EQ(server.connections(), 1);
}

TEST(KmsClientFaults, BusinessErrorIsNeverRetried) {
  ScriptedServer server;
  server.PushKmsError(400, "InvalidCiphertextException");
  server.PushOk(kDecryptOk);
  auto client = Client(Options(server.port()));
  auto r = client->Decrypt(Req());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().error_type(), "InvalidCiphertextException");
  EXPECT_EQ(r.status().code(), Code::kCorrupt);
  EXPECT_EQ(server.connections(), 1);
}

TEST(KmsClientFaults, ResetMidResponseIsRetried) {
  ScriptedServer server;
  server.Push(ScriptedServer::Kind::kResetMidway,
              "HTTP/1.1 200 OK\r\nContent-Length: 200\r\n\r\n{\"KeyId\":");
  server.PushOk(kDecryptOk);
  auto client = Client(Options(server.port()));
  auto r = client->Decrypt(Req());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(server.connections(), 2);
  EXPECT_EQ(client->metrics().transport_errors, 1);
}

TEST(KmsClientFaults, Ipv6LiteralEndpointWorksAndReportsTheAddressUsed) {
  ScriptedServer server(/*ipv6=*/true);
  server.PushOk(kDecryptOk);
  ClientOptions o = Options(server.port());
  o.endpoint_url = "http://[::1]:" + std::to_string(server.port());
  std::vector<std::string> lines;
  SetLogSink([&](LogLevel, std::string_view l) { lines.emplace_back(l); });
  SetLogLevel(LogLevel::kDebug);
  auto client = Client(std::move(o));
  auto r = client->Decrypt(Req());
  SetLogLevel(LogLevel::kInfo);
  SetLogSink(nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_FALSE(lines.empty());
  EXPECT_NE(lines[0].find("ip=::1"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("host=[::1]:"), std::string::npos) << lines[0];
}

TEST(KmsClientFaults, UnreadableCaBundleIsRejectedAtCreate) {
  ClientOptions o = Options(1);
  o.endpoint_url = "https://127.0.0.1:1";
  o.ca_bundle = "/nonexistent/ca.pem";
  auto c = KmsClient::Create(std::move(o));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Code::kInvalidArgument);
}

// The scripted server waits for an HTTP request and never answers the ClientHello: the TLS
// handshake is part of the connect phase, so connect_timeout bounds it.
TEST(KmsClientFaults, StalledTlsHandshakeFailsWithinConnectTimeout) {
  ScriptedServer server;
  ClientOptions o = Options(server.port());
  o.endpoint_url = "https://127.0.0.1:" + std::to_string(server.port());
  o.max_attempts = 1;
  auto client = Client(std::move(o));
  const auto start = Steady::now();
  auto r = client->Decrypt(Req());
  const double ms = MsSince(start);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kDeadlineExceeded);
  EXPECT_NE(r.status().message().find("connect_timeout"), std::string::npos)
      << r.status().message();
  EXPECT_LT(ms, 650.0);
}

}  // namespace
}  // namespace envelope::kms
