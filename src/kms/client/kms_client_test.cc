#include "kms/client/kms_client.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/log.h"
#include "kms/client/testing_fakes.h"

namespace envelope::kms {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::FakeClock;
using testing::FakeTransport;
using testing::HttpOk;
using testing::KmsErrorResult;
using testing::ScriptedRandom;
using testing::TransportFailure;

constexpr const char* kDecryptOk = R"({"KeyId":"arn:k","Plaintext":"AAEC"})";

ClientOptions Options(RetryMode mode = RetryMode::kStandard) {
  ClientOptions o;
  o.endpoint_url = "https://kms.us-east-1.amazonaws.com";
  o.region = "us-east-1";
  o.credentials.access_key_id = "AKIDEXAMPLE";
  const std::string secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  o.credentials.secret_access_key =
      SecretBytes(std::span(reinterpret_cast<const std::uint8_t*>(secret.data()), secret.size()));
  o.retry_mode = mode;
  o.connect_timeout = milliseconds(1000);
  o.read_timeout = milliseconds(2000);
  o.operation_timeout = milliseconds(10000);
  return o;
}

struct Harness {
  explicit Harness(ClientOptions o = Options()) {
    auto t = std::make_unique<FakeTransport>(&clock);
    transport = t.get();
    auto c = KmsClient::Create(std::move(o), std::move(t), clock, random);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    client = std::move(c).value();
  }
  FakeClock clock;
  ScriptedRandom random{0.5};
  FakeTransport* transport = nullptr;
  std::unique_ptr<KmsClient> client;
};

DecryptRequest Req() {
  DecryptRequest r;
  r.ciphertext_blob = {1, 2, 3};
  return r;
}

const std::string* Header(const HttpRequest& r, std::string_view name) {
  return protocol::FindHeader(r.headers, name);
}

TEST(KmsClient, DecryptRetriesThrottlingAndThenSucceeds) {
  Harness h;
  h.transport->Enqueue(KmsErrorResult(400, "ThrottlingException"));
  h.transport->Enqueue(HttpOk(kDecryptOk));
  auto r = h.client->Decrypt(Req());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->plaintext.Equals(Bytes{0, 1, 2}));
  EXPECT_EQ(h.transport->requests().size(), 2u);
  ASSERT_EQ(h.clock.sleeps().size(), 1u);
  EXPECT_EQ(h.clock.sleeps()[0], milliseconds(500));  // 0.5 * min(2^0, 20) s
}

TEST(KmsClient, RequestCarriesTargetSignatureAndSdkHeaders) {
  Harness h;
  h.transport->Enqueue(KmsErrorResult(500, "KMSInternalException"));
  h.transport->Enqueue(HttpOk(kDecryptOk));
  ASSERT_TRUE(h.client->Decrypt(Req()).ok());
  auto reqs = h.transport->requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(*Header(reqs[0], "X-Amz-Target"), "TrentService.Decrypt");
  EXPECT_EQ(*Header(reqs[0], "Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(*Header(reqs[0], "Host"), "kms.us-east-1.amazonaws.com");
  EXPECT_TRUE(Header(reqs[0], "Authorization")->starts_with(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20231114/us-east-1/kms/aws4_request"));
  EXPECT_EQ(*Header(reqs[0], "amz-sdk-request"), "attempt=1");
  EXPECT_EQ(*Header(reqs[1], "amz-sdk-request"), "attempt=2; max=3");
  const std::string id = *Header(reqs[0], "amz-sdk-invocation-id");
  EXPECT_EQ(id.size(), 36u);
  EXPECT_EQ(id[14], '4');  // UUID version 4
  EXPECT_EQ(*Header(reqs[1], "amz-sdk-invocation-id"), id);  // same for every attempt
}

TEST(KmsClient, InvocationIdDiffersBetweenCalls) {
  Harness h;
  h.transport->Enqueue(HttpOk(kDecryptOk));
  h.transport->Enqueue(HttpOk(kDecryptOk));
  ASSERT_TRUE(h.client->Decrypt(Req()).ok());
  ASSERT_TRUE(h.client->Decrypt(Req()).ok());
  auto reqs = h.transport->requests();
  EXPECT_NE(*Header(reqs[0], "amz-sdk-invocation-id"), *Header(reqs[1], "amz-sdk-invocation-id"));
}

TEST(KmsClient, NewRetriesSendMaxOnTheFirstAttempt) {
  ClientOptions o = Options();
  o.new_retries_2026 = true;
  Harness h(std::move(o));
  h.transport->Enqueue(HttpOk(kDecryptOk));
  ASSERT_TRUE(h.client->Decrypt(Req()).ok());
  EXPECT_EQ(*Header(h.transport->requests()[0], "amz-sdk-request"), "attempt=1; max=3");
}

TEST(KmsClient, SessionTokenIsSentAndSigned) {
  ClientOptions o = Options();
  o.credentials.session_token = "tok";
  Harness h(std::move(o));
  h.transport->Enqueue(HttpOk(kDecryptOk));
  ASSERT_TRUE(h.client->Decrypt(Req()).ok());
  const HttpRequest r = h.transport->requests()[0];
  EXPECT_EQ(*Header(r, "X-Amz-Security-Token"), "tok");
  EXPECT_NE(Header(r, "Authorization")->find("x-amz-security-token"), std::string::npos);
}

TEST(KmsClient, BusinessErrorIsReturnedAfterOneAttempt) {
  Harness h;
  h.transport->Enqueue(KmsErrorResult(400, "com.amazonaws.kms#NotFoundException", "no such key"));
  auto r = h.client->Decrypt(Req());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_EQ(r.status().error_type(), "NotFoundException");
  EXPECT_NE(r.status().message().find("no such key"), std::string::npos);
  EXPECT_EQ(h.transport->requests().size(), 1u);
  EXPECT_TRUE(h.clock.sleeps().empty());
}

TEST(KmsClient, ThrottlingIsSurfacedAtOnceWithMaxAttemptsOne) {
  ClientOptions o = Options();
  o.max_attempts = 1;
  Harness h(std::move(o));
  h.transport->Enqueue(KmsErrorResult(400, "ThrottlingException", "Rate exceeded"));
  auto r = h.client->Decrypt(Req());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kResourceExhausted);
  EXPECT_EQ(r.status().error_type(), "ThrottlingException");
  EXPECT_EQ(h.transport->requests().size(), 1u);
}

TEST(KmsClient, StandardModeGivesUpAfterThreeAttempts) {
  Harness h;
  for (int i = 0; i < 5; ++i) h.transport->Enqueue(KmsErrorResult(503, "DependencyTimeoutException"));
  auto r = h.client->Decrypt(Req());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUnavailable);
  EXPECT_EQ(r.status().error_type(), "DependencyTimeoutException");
  EXPECT_EQ(h.transport->requests().size(), 3u);
  EXPECT_EQ(h.client->metrics().retries, 2);
  EXPECT_EQ(h.client->metrics().retry_quota_available, 490);
}

TEST(KmsClient, LegacyModeMakesFiveAttempts) {
  Harness h(Options(RetryMode::kLegacy));
  for (int i = 0; i < 6; ++i) h.transport->Enqueue(KmsErrorResult(500, "KMSInternalException"));
  ASSERT_FALSE(h.client->Decrypt(Req()).ok());
  EXPECT_EQ(h.transport->requests().size(), 5u);
}

TEST(KmsClient, ConnectionResetIsRetried) {
  Harness h;
  h.transport->Enqueue(TransportFailure(TransportError::kConnectionReset));
  h.transport->Enqueue(HttpOk(kDecryptOk));
  EXPECT_TRUE(h.client->Decrypt(Req()).ok());
  EXPECT_EQ(h.transport->requests().size(), 2u);
}

TEST(KmsClient, ReadTimeoutsExhaustAttemptsWithDeadlineExceeded) {
  Harness h;
  for (int i = 0; i < 3; ++i) {
    h.transport->Enqueue(TransportFailure(TransportError::kReadTimeout), milliseconds(2000));
  }
  auto r = h.client->Decrypt(Req());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kDeadlineExceeded);
  EXPECT_EQ(h.transport->requests().size(), 3u);
  EXPECT_EQ(h.client->metrics().timeouts, 3);
}

TEST(KmsClient, TlsVerificationFailureIsNotRetried) {
  Harness h;
  h.transport->Enqueue(TransportFailure(TransportError::kTlsVerifyFailure));
  auto r = h.client->Decrypt(Req());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(h.transport->requests().size(), 1u);
}

TEST(KmsClient, EachAttemptGetsOnlyTheRemainingDeadline) {
  Harness h;
  h.transport->Enqueue(KmsErrorResult(500, "KMSInternalException"), milliseconds(3000));
  h.transport->Enqueue(HttpOk(kDecryptOk));
  ASSERT_TRUE(h.client->Decrypt(Req()).ok());
  auto limits = h.transport->limits();
  EXPECT_EQ(limits[0].total_timeout, milliseconds(10000));
  EXPECT_EQ(limits[1].total_timeout, milliseconds(6500));  // 10 s - 3 s - 0.5 s backoff
  EXPECT_EQ(limits[1].connect_timeout, milliseconds(1000));
  EXPECT_EQ(limits[1].read_timeout, milliseconds(2000));
}

TEST(KmsClient, BackoffThatWouldCrossTheDeadlineEndsTheCall) {
  ClientOptions o = Options();
  o.operation_timeout = milliseconds(3000);
  Harness h(std::move(o));
  h.transport->Enqueue(KmsErrorResult(500, "KMSInternalException"), milliseconds(2800));
  auto r = h.client->Decrypt(Req());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kDeadlineExceeded);
  EXPECT_NE(r.status().message().find("KMSInternal"), std::string::npos) << r.status().message();
  EXPECT_EQ(r.status().error_type(), "KMSInternalException");
  EXPECT_TRUE(h.clock.sleeps().empty());
  EXPECT_EQ(h.transport->requests().size(), 1u);
}

TEST(KmsClient, NoCallOutlivesTheOperationTimeout) {
  ClientOptions o = Options();
  o.operation_timeout = milliseconds(5000);
  o.max_attempts = 50;
  Harness h(std::move(o));
  const auto start = h.clock.Now();
  for (int i = 0; i < 50; ++i) h.transport->Enqueue(TransportFailure(TransportError::kConnectionReset), milliseconds(900));
  auto r = h.client->Decrypt(Req());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kDeadlineExceeded);
  EXPECT_LE(h.clock.Now() - start, milliseconds(5000));
}

TEST(KmsClient, HangingAttemptIsCutAtTheDeadline) {
  ClientOptions o = Options();
  o.operation_timeout = milliseconds(4000);
  Harness h(std::move(o));
  h.transport->Enqueue(HttpOk(kDecryptOk), seconds(60));
  auto r = h.client->Decrypt(Req());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kDeadlineExceeded);
  EXPECT_EQ(h.transport->requests().size(), 1u);
}

TEST(KmsClient, AdaptiveModeEnablesTheRateLimiterOnThrottle) {
  Harness h(Options(RetryMode::kAdaptive));
  h.transport->Enqueue(KmsErrorResult(400, "ThrottlingException"));
  h.transport->Enqueue(HttpOk(kDecryptOk));
  ASSERT_TRUE(h.client->Decrypt(Req()).ok());
  KmsClientMetrics m = h.client->metrics();
  EXPECT_TRUE(m.adaptive_enabled);
  EXPECT_GE(m.adaptive_fill_rate, AdaptiveRateLimiter::kMinFillRate);
  EXPECT_EQ(m.throttles, 1);
}

TEST(KmsClient, MetricsCountCallsAttemptsAndLatencyPerOperation) {
  Harness h;
  h.transport->Enqueue(KmsErrorResult(500, "KMSInternalException"), milliseconds(10));
  h.transport->Enqueue(HttpOk(kDecryptOk), milliseconds(10));
  ASSERT_TRUE(h.client->Decrypt(Req()).ok());
  KmsClientMetrics m = h.client->metrics();
  EXPECT_EQ(m.calls, 1);
  EXPECT_EQ(m.attempts, 2);
  EXPECT_EQ(m.retries, 1);
  EXPECT_EQ(m.per_operation["Decrypt"].calls, 1);
  EXPECT_EQ(m.per_operation["Decrypt"].total_us, 520000);  // 10 ms + 500 ms backoff + 10 ms
}

TEST(KmsClient, LogsOneLinePerAttemptAndASummaryWithoutSecrets) {
  std::vector<std::string> lines;
  SetLogSink([&](LogLevel, std::string_view l) { lines.emplace_back(l); });
  SetLogLevel(LogLevel::kDebug);
  {
    Harness h;
    h.transport->Enqueue(KmsErrorResult(503, "DependencyTimeoutException"));
    h.transport->Enqueue(HttpOk(kDecryptOk));
    ASSERT_TRUE(h.client->Decrypt(Req()).ok());
  }
  SetLogLevel(LogLevel::kInfo);
  SetLogSink(nullptr);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_NE(lines[0].find("op=Decrypt"), std::string::npos);
  EXPECT_NE(lines[0].find("attempt=1/3"), std::string::npos);
  EXPECT_NE(lines[0].find("class=transient"), std::string::npos);
  EXPECT_NE(lines[0].find("backoff_ms=500.0"), std::string::npos);
  EXPECT_NE(lines[0].find("quota=495"), std::string::npos);
  EXPECT_NE(lines[1].find("decision=success"), std::string::npos);
  EXPECT_NE(lines[2].find("kms call op=Decrypt result=ok"), std::string::npos);
  for (const auto& l : lines) EXPECT_EQ(l.find("AAEC"), std::string::npos);
}

TEST(KmsClient, CreateRejectsBadOptions) {
  FakeClock clock;
  ScriptedRandom random;
  auto make = [&](ClientOptions o) {
    return KmsClient::Create(std::move(o), std::make_unique<FakeTransport>(), clock, random);
  };
  ClientOptions o = Options();
  o.endpoint_url = "ftp://x";
  EXPECT_EQ(make(std::move(o)).status().code(), Code::kInvalidArgument);
  o = Options();
  o.region = "";
  EXPECT_EQ(make(std::move(o)).status().code(), Code::kInvalidArgument);
  o = Options();
  o.max_attempts = 0;
  EXPECT_EQ(make(std::move(o)).status().code(), Code::kInvalidArgument);
  o = Options();
  o.read_timeout = milliseconds(0);
  EXPECT_EQ(make(std::move(o)).status().code(), Code::kInvalidArgument);
}

TEST(ParseEndpointUrl, KeepsNonDefaultPortsAndIpv6Brackets) {
  EXPECT_EQ(ParseEndpointUrl("http://[::1]:4599").value().host_header, "[::1]:4599");
  EXPECT_EQ(ParseEndpointUrl("https://kms.eu-west-1.api.aws:443/").value().host_header,
            "kms.eu-west-1.api.aws");
  EXPECT_EQ(ParseEndpointUrl("http://127.0.0.1:8080/p").value().path, "/p");
  EXPECT_FALSE(ParseEndpointUrl("http://[::1:80").ok());
  EXPECT_FALSE(ParseEndpointUrl("kms.us-east-1.amazonaws.com").ok());
}

}  // namespace
}  // namespace envelope::kms
