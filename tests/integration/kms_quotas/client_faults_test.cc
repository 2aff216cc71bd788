// Every fault kind of the local KMS's fault injection, set through the real admin endpoint
// (POST /_envelope/faults) of an in-process server, as our KmsClient sees it: the error class of
// each attempt (read from the client's per-attempt debug log line), the retries (client metrics
// and the rule's own "fired" count), and the time a hang may cost. tests/integration/kms_client/
// covers the same classes against scripted sockets; here the faults are the server's own.
// Backoff jitter is pinned to 0, so elapsed time is the attempts only. Timing bounds are generous
// on the upper side for a loaded 2-core machine.
#include <chrono>
#include <mutex>
#include <vector>

#include "core/log.h"
#include "kms/client/testing_fakes.h"
#include "tests/integration/kms_quotas/client_fixture.h"

namespace envelope::kms::server::quota_it {
namespace {

using Steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

double MsSince(Steady::time_point t) {
  return std::chrono::duration<double, std::milli>(Steady::now() - t).count();
}

class ClientFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<QuotaServer>(json::object());
    ASSERT_TRUE(server_->ok());
    key_ = server_->CreateKey();
    // The client logs one line per attempt at debug level with "class=<error class>".
    SetLogSink([this](LogLevel, std::string_view line) {
      if (!line.starts_with("kms attempt ")) return;
      const std::size_t at = line.find(" class=");
      if (at == std::string_view::npos) return;
      const std::string_view rest = line.substr(at + 7);
      std::lock_guard lock(mu_);
      classes_.emplace_back(rest.substr(0, rest.find(' ')));
    });
    SetLogLevel(LogLevel::kDebug);
  }
  void TearDown() override {
    SetLogLevel(LogLevel::kWarn);  // the process default
    SetLogSink(nullptr);
  }

  std::unique_ptr<KmsClient> Client(RetryMode mode, milliseconds read_timeout,
                                    milliseconds operation_timeout, int max_attempts = 0) {
    ClientOptions o = ClientOptionsFor(*server_, mode);
    o.read_timeout = read_timeout;
    o.operation_timeout = operation_timeout;
    if (max_attempts > 0) o.max_attempts = max_attempts;
    auto c = KmsClient::Create(std::move(o), RealClock(), no_jitter_);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return std::move(c).value();
  }
  std::unique_ptr<KmsClient> Client(RetryMode mode = RetryMode::kStandard) {
    return Client(mode, milliseconds(2000), milliseconds(10000));
  }

  // Adds one rule for GenerateDataKey (kind, optional count and ms).
  void Fault(std::string_view kind, int count = 0, int ms = 0) {
    json rule = {{"kind", kind}, {"operation", "GenerateDataKey"}};
    if (count > 0) rule["count"] = count;
    if (ms > 0) rule["ms"] = ms;
    AddFaultRule(*server_, rule);
  }
  // How many times the (single) rule fired, from GET /_envelope/faults.
  int Fired() {
    const json list = json::parse(AdminCall(*server_, "GET", "/_envelope/faults").body);
    return list["faults"].empty() ? -1 : list["faults"][0].value("fired", -1);
  }

  Result<GenerateDataKeyResponse> Gdk(KmsClient& client) {
    GenerateDataKeyRequest req;
    req.key_id = key_;
    req.key_spec = "AES_256";
    return client.GenerateDataKey(req);
  }
  std::vector<std::string> Classes() {
    std::lock_guard lock(mu_);
    return classes_;
  }
  using Strings = std::vector<std::string>;

  std::unique_ptr<QuotaServer> server_;
  std::string key_;
  kms::testing::ScriptedRandom no_jitter_{0.0};
  std::mutex mu_;
  std::vector<std::string> classes_;
};

TEST_F(ClientFaultTest, LatencyBelowTheReadTimeoutSucceedsInOneSlowerAttempt) {
  Fault("latency", 0, 300);
  auto client = Client();
  const auto start = Steady::now();
  ASSERT_TRUE(Gdk(*client).ok());
  EXPECT_GE(MsSince(start), 300.0);
  EXPECT_EQ(client->metrics().attempts, 1);
  EXPECT_EQ(Classes(), Strings{"success"});
}

TEST_F(ClientFaultTest, LatencyBeyondTheReadTimeoutIsAReadTimeoutAndTheRetrySucceeds) {
  Fault("latency", 1, 1500);
  auto client = Client(RetryMode::kStandard, milliseconds(300), milliseconds(5000));
  const auto start = Steady::now();
  ASSERT_TRUE(Gdk(*client).ok());
  EXPECT_LT(MsSince(start), 1400.0);  // not waiting out the 1.5 s latency
  EXPECT_EQ(Classes(), (Strings{"read_timeout", "success"}));
  EXPECT_EQ(client->metrics().timeouts, 1);
  EXPECT_EQ(Fired(), 1);
}

TEST_F(ClientFaultTest, HangIsCutOffByTheReadTimeoutOnEveryAttempt) {
  Fault("hang", 0, 20000);
  auto client = Client(RetryMode::kStandard, milliseconds(300), milliseconds(10000));
  const auto start = Steady::now();
  auto r = Gdk(*client);
  const double ms = MsSince(start);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kDeadlineExceeded) << r.status().ToString();
  EXPECT_EQ(Classes(), (Strings{"read_timeout", "read_timeout", "read_timeout"}));
  EXPECT_EQ(client->metrics().timeouts, 3);
  EXPECT_EQ(Fired(), 3);
  EXPECT_GE(ms, 880.0);   // 3 x 300 ms, less clock granularity
  EXPECT_LT(ms, 1600.0);  // each attempt within ~100 ms of its read timeout, plus loaded-CPU slack
}

TEST_F(ClientFaultTest, HangIsCutOffByTheOperationTimeoutOverall) {
  Fault("hang", 0, 20000);
  auto client = Client(RetryMode::kStandard, milliseconds(5000), milliseconds(800));
  const auto start = Steady::now();
  auto r = Gdk(*client);
  const double ms = MsSince(start);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kDeadlineExceeded);
  EXPECT_NE(r.status().message().find("operation_timeout"), std::string::npos)
      << r.status().message();
  EXPECT_EQ(client->metrics().deadline_exceeded, 1);
  EXPECT_EQ(client->metrics().attempts, 1);
  EXPECT_GE(ms, 780.0);
  EXPECT_LT(ms, 1500.0);
}

TEST_F(ClientFaultTest, HangOnceIsRetriedAndTheRetrySucceeds) {
  Fault("hang", 1, 20000);
  auto client = Client(RetryMode::kStandard, milliseconds(300), milliseconds(5000));
  ASSERT_TRUE(Gdk(*client).ok());
  EXPECT_EQ(Classes(), (Strings{"read_timeout", "success"}));
  EXPECT_EQ(Fired(), 1);
}

TEST_F(ClientFaultTest, ResetMidResponseIsAConnectionErrorAndTheRetrySucceeds) {
  Fault("reset", 1);
  auto client = Client();
  ASSERT_TRUE(Gdk(*client).ok());
  EXPECT_EQ(Classes(), (Strings{"connection", "success"}));
  EXPECT_EQ(client->metrics().transport_errors, 1);
  EXPECT_EQ(client->metrics().retries, 1);
}

TEST_F(ClientFaultTest, ResetOnEveryAttemptFailsAsUnavailableAfterMaxAttempts) {
  Fault("reset");
  auto client = Client();
  auto r = Gdk(*client);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUnavailable) << r.status().ToString();
  EXPECT_EQ(Classes(), (Strings{"connection", "connection", "connection"}));
  EXPECT_EQ(Fired(), 3);
}

TEST_F(ClientFaultTest, InternalErrorIsTransientAndRetriedUntilSuccess) {
  Fault("internal", 2);
  auto client = Client();
  ASSERT_TRUE(Gdk(*client).ok());
  EXPECT_EQ(Classes(), (Strings{"transient", "transient", "success"}));
  EXPECT_EQ(client->metrics().retries, 2);
  EXPECT_EQ(Fired(), 2);
}

TEST_F(ClientFaultTest, InternalErrorOnEveryAttemptEndsAfterThreeAttemptsInStandardMode) {
  Fault("internal");
  auto client = Client();
  auto r = Gdk(*client);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUnavailable);
  EXPECT_EQ(r.status().error_type(), "KMSInternalException");
  EXPECT_EQ(client->metrics().attempts, 3);
  EXPECT_EQ(Fired(), 3);
}

TEST_F(ClientFaultTest, InternalErrorOnEveryAttemptEndsAfterFiveAttemptsInLegacyMode) {
  Fault("internal");
  auto client = Client(RetryMode::kLegacy);
  auto r = Gdk(*client);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().error_type(), "KMSInternalException");
  EXPECT_EQ(client->metrics().attempts, 5);
  EXPECT_EQ(Fired(), 5);
}

TEST_F(ClientFaultTest, DependencyTimeoutIsTransientAndTheRetrySucceeds) {
  Fault("unavailable", 1);
  auto client = Client();
  ASSERT_TRUE(Gdk(*client).ok());
  EXPECT_EQ(Classes(), (Strings{"transient", "success"}));
  EXPECT_EQ(client->metrics().retries, 1);
}

TEST_F(ClientFaultTest, DependencyTimeoutOnEveryAttemptSurfacesItsErrorType) {
  Fault("unavailable");
  auto client = Client();
  auto r = Gdk(*client);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUnavailable);
  EXPECT_EQ(r.status().error_type(), "DependencyTimeoutException");
  EXPECT_EQ(client->metrics().attempts, 3);
}

TEST_F(ClientFaultTest, ForcedThrottleIsThrottlingAndTheRetrySucceeds) {
  Fault("throttle", 1);
  auto client = Client();
  ASSERT_TRUE(Gdk(*client).ok());
  EXPECT_EQ(Classes(), (Strings{"throttling", "success"}));
  EXPECT_EQ(client->metrics().throttles, 1);
  EXPECT_FALSE(client->metrics().adaptive_enabled);  // standard mode has no rate limiter
}

TEST_F(ClientFaultTest, ForcedThrottleEnablesTheAdaptiveRateLimiter) {
  Fault("throttle", 1);
  auto client = Client(RetryMode::kAdaptive);
  ASSERT_TRUE(Gdk(*client).ok());
  EXPECT_EQ(Classes(), (Strings{"throttling", "success"}));
  EXPECT_TRUE(client->metrics().adaptive_enabled);
}

TEST_F(ClientFaultTest, ForcedThrottleOnEveryAttemptSurfacesThrottlingException) {
  Fault("throttle");
  auto client = Client(RetryMode::kStandard, milliseconds(2000), milliseconds(10000), 2);
  auto r = Gdk(*client);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kResourceExhausted);
  EXPECT_EQ(r.status().error_type(), "ThrottlingException");
  EXPECT_EQ(client->metrics().throttles, 2);
  EXPECT_EQ(Fired(), 2);
}

}  // namespace
}  // namespace envelope::kms::server::quota_it
