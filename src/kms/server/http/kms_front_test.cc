// The KMS front without sockets: routing, each authentication error, the Caller handed to the
// dispatcher, and the mapping of dispatcher errors to the wire.
#include "kms/server/http/kms_front.h"

#include <gtest/gtest.h>

#include "core/bytes.h"
#include "core/log.h"
#include "kms/api/errors.h"
#include "kms/protocol/sigv4.h"

namespace envelope::kms::server {
namespace {

constexpr std::string_view kAkid = "AKIDEXAMPLE";
constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr std::string_view kNow = "20250101T120000Z";

class FixedClock final : public Clock {
 public:
  TimePoint Now() const override { return TimePoint{}; }
  std::chrono::system_clock::time_point WallNow() const override {
    return *protocol::ParseAmzDate(kNow);
  }
  void SleepFor(Duration) override {}
};

// Records the last call; answers with `next`.
class FakeDispatcher final : public Dispatcher {
 public:
  Result<std::string> Dispatch(const Caller& caller, std::string_view operation,
                               std::string_view body) override {
    last_caller = caller;
    last_operation = std::string(operation);
    last_body = std::string(body);
    ++calls;
    return next;
  }
  Caller last_caller;
  std::string last_operation, last_body;
  int calls = 0;
  Result<std::string> next = std::string(R"({"KeyId":"k"})");
};

AccountRegistry TestAccounts() {
  AccountRegistry registry;
  EXPECT_TRUE(registry.Add({std::string(kAkid), SecretBytes(AsBytes(kSecret)), "444455556666", "alice"}).ok());
  return registry;
}

HttpRequest Signed(std::string_view operation, std::string body = "{}",
                   std::string_view akid = kAkid, std::string_view secret = kSecret,
                   std::string_view amz_date = kNow) {
  HttpRequest r;
  r.method = "POST";
  r.target = "/";
  r.headers = {{"Host", "127.0.0.1:4599"},
               {"Content-Type", "application/x-amz-json-1.1"},
               {"X-Amz-Target", "TrentService." + std::string(operation)},
               {"X-Amz-Date", std::string(amz_date)}};
  r.body = std::move(body);
  const std::string hash = protocol::PayloadHash(r.body);
  protocol::SigV4Credentials creds{std::string(akid), SecretBytes(AsBytes(secret)), ""};
  r.headers.push_back({"Authorization",
                       protocol::AuthorizationHeader({"POST", "/", "", r.headers, hash}, creds,
                                                     amz_date, "eu-central-1", "kms")});
  return r;
}

std::string TypeOf(const HttpResponse& r) {
  const std::size_t start = r.body.find("\"__type\":\"");
  if (start == std::string::npos) return "";
  return r.body.substr(start + 10, r.body.find('"', start + 10) - start - 10);
}

class KmsFrontTest : public ::testing::Test {
 protected:
  HttpResponse Handle(const HttpRequest& r, bool auth = true) {
    KmsFront front(dispatcher_, accounts_, clock_, {auth, "us-east-1", false});
    return front.Handle(r);
  }
  FakeDispatcher dispatcher_;
  AccountRegistry accounts_ = TestAccounts();
  FixedClock clock_;
};

TEST_F(KmsFrontTest, SignedRequestReachesTheDispatcherWithTheCaller) {
  HttpResponse r = Handle(Signed("GenerateDataKey", R"({"KeyId":"alias/a"})"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/x-amz-json-1.1");
  EXPECT_EQ(r.body, R"({"KeyId":"k"})");
  EXPECT_EQ(dispatcher_.last_operation, "GenerateDataKey");
  EXPECT_EQ(dispatcher_.last_body, R"({"KeyId":"alias/a"})");
  EXPECT_EQ(dispatcher_.last_caller.account_id, "444455556666");
  EXPECT_EQ(dispatcher_.last_caller.region, "eu-central-1");
  EXPECT_EQ(dispatcher_.last_caller.access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(dispatcher_.last_caller.principal_arn, "arn:aws:iam::444455556666:user/alice");
}

TEST_F(KmsFrontTest, ResponsesCarryAUuidRequestId) {
  HttpResponse r = Handle(Signed("ListKeys"));
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].name, "x-amzn-RequestId");
  EXPECT_EQ(r.headers[0].value.size(), 36u);
  EXPECT_EQ(r.headers[0].value[14], '4');
}

TEST_F(KmsFrontTest, MissingAuthorizationIsMissingAuthenticationToken) {
  HttpRequest r = Signed("ListKeys");
  r.headers.pop_back();
  HttpResponse response = Handle(r);
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(TypeOf(response), "MissingAuthenticationTokenException");
  EXPECT_EQ(dispatcher_.calls, 0);
}

TEST_F(KmsFrontTest, MalformedAuthorizationIsIncompleteSignature) {
  HttpRequest r = Signed("ListKeys");
  r.headers.back().value = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/2025";
  EXPECT_EQ(TypeOf(Handle(r)), "IncompleteSignatureException");
}

TEST_F(KmsFrontTest, UnknownAccessKeyIsUnrecognizedClient) {
  HttpResponse r = Handle(Signed("ListKeys", "{}", "AKIDUNKNOWN"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(TypeOf(r), "UnrecognizedClientException");
  EXPECT_NE(r.body.find("The security token included in the request is invalid."),
            std::string::npos);
}

TEST_F(KmsFrontTest, WrongSecretIsInvalidSignature) {
  EXPECT_EQ(TypeOf(Handle(Signed("ListKeys", "{}", kAkid, "not-the-secret"))),
            "InvalidSignatureException");
}

TEST_F(KmsFrontTest, TimestampSixMinutesOldIsInvalidSignature) {
  EXPECT_EQ(TypeOf(Handle(Signed("ListKeys", "{}", kAkid, kSecret, "20250101T115400Z"))),
            "InvalidSignatureException");
}

TEST_F(KmsFrontTest, AuthOffAcceptsUnknownKeysAsTheDefaultAccount) {
  HttpResponse r = Handle(Signed("ListKeys", "{}", "ANYTHING", "dummy"), /*auth=*/false);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(dispatcher_.last_caller.account_id, "111122223333");
  EXPECT_EQ(dispatcher_.last_caller.region, "eu-central-1");
}

TEST_F(KmsFrontTest, AuthOffMapsAKnownKeyToItsAccountEvenWithABadSignature) {
  Handle(Signed("ListKeys", "{}", kAkid, "wrong"), /*auth=*/false);
  EXPECT_EQ(dispatcher_.last_caller.account_id, "444455556666");
}

TEST_F(KmsFrontTest, AuthOffWithoutAuthorizationUsesTheDefaultRegion) {
  HttpRequest r = Signed("ListKeys");
  r.headers.pop_back();
  EXPECT_EQ(Handle(r, /*auth=*/false).status, 200);
  EXPECT_EQ(dispatcher_.last_caller.region, "us-east-1");
  EXPECT_EQ(dispatcher_.last_caller.account_id, "111122223333");
}

TEST_F(KmsFrontTest, OtherPathIsA404JsonError) {
  HttpRequest r = Signed("ListKeys");
  r.target = "/index.html";
  HttpResponse response = Handle(r);
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(TypeOf(response), "UnknownOperationException");
  EXPECT_EQ(response.content_type, "application/x-amz-json-1.1");
}

TEST_F(KmsFrontTest, GetIsA405JsonError) {
  HttpRequest r = Signed("ListKeys");
  r.method = "GET";
  HttpResponse response = Handle(r);
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(TypeOf(response), "UnknownOperationException");
}

TEST_F(KmsFrontTest, TargetOutsideTrentServiceIsUnknownOperation) {
  HttpRequest r = Signed("ListKeys");
  r.headers[2].value = "DynamoDB_20120810.ListTables";
  r.headers.pop_back();
  HttpResponse response = Handle(r, /*auth=*/false);
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(TypeOf(response), "UnknownOperationException");
}

TEST_F(KmsFrontTest, WrongContentTypeIsSerializationException) {
  HttpRequest r = Signed("ListKeys");
  r.headers[1].value = "text/plain";
  r.headers.pop_back();
  EXPECT_EQ(TypeOf(Handle(r, /*auth=*/false)), "SerializationException");
}

TEST_F(KmsFrontTest, ContentTypeWithCharsetIsAccepted) {
  HttpRequest r = Signed("ListKeys");
  r.headers[1].value = "application/x-amz-json-1.1; charset=utf-8";
  r.headers.pop_back();
  EXPECT_EQ(Handle(r, /*auth=*/false).status, 200);
}

TEST_F(KmsFrontTest, DispatcherClientErrorIs400WithItsType) {
  dispatcher_.next = kms::NotFoundError("Key 'x' does not exist");
  HttpResponse r = Handle(Signed("DescribeKey"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, R"({"__type":"NotFoundException","message":"Key 'x' does not exist"})");
}

TEST_F(KmsFrontTest, ServerErrorsMapTo500And503) {
  dispatcher_.next = kms::KmsInternalError("boom");
  EXPECT_EQ(Handle(Signed("Encrypt")).status, 500);
  dispatcher_.next = kms::KeyUnavailableError("later");
  EXPECT_EQ(Handle(Signed("Encrypt")).status, 500);
  dispatcher_.next = kms::DependencyTimeoutError("slow");
  EXPECT_EQ(Handle(Signed("Encrypt")).status, 503);
}

TEST_F(KmsFrontTest, StatusWithoutErrorTypeIsKmsInternalException) {
  dispatcher_.next = Internal("unexpected");
  HttpResponse r = Handle(Signed("Encrypt"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(TypeOf(r), "KMSInternalException");
}

TEST_F(KmsFrontTest, LogsOneLineWithOperationAccountKeyAndStatus) {
  std::vector<std::string> lines;
  SetLogLevel(LogLevel::kInfo);
  SetLogSink([&](LogLevel, std::string_view line) { lines.emplace_back(line); });
  KmsFront front(dispatcher_, accounts_, clock_, {true, "us-east-1", true});
  front.Handle(Signed("Encrypt", R"({"KeyId": "alias/logs", "Plaintext":"AA=="})"));
  SetLogSink(nullptr);
  SetLogLevel(LogLevel::kWarn);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("op=Encrypt account=444455556666 region=eu-central-1 "
                          "akid=AKIDEXAMPLE key=alias/logs status=200 error=-"),
            std::string::npos)
      << lines[0];
}

TEST(JsonErrorBody, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(JsonErrorBody("T", "a\"b\\c\n\x01"),
            R"({"__type":"T","message":"a\"b\\c\n\u0001"})");
}

}  // namespace
}  // namespace envelope::kms::server
