// The real local KMS (LocalKms + KMS front + HTTP server) on loopback port 0, driven with raw
// HTTP requests: SigV4 accepted, every authentication error, protocol errors, keep-alive, IPv6,
// and the caller's account and region reaching the key store.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "kms/protocol/sigv4.h"
#include "kms/server/http/local_kms_server.h"
#include "kms/server/http/raw_http_client.h"

namespace envelope::kms::server {
namespace {

using nlohmann::json;
using testing::BuildRequest;
using testing::RawHttpClient;
using testing::RawHttpResponse;

constexpr std::string_view kAkid = "AKIAINTEGRATION0001";
constexpr std::string_view kSecret = "integration/secret/0000000000000000000000";
constexpr std::string_view kOtherAkid = "AKIAINTEGRATION0002";
constexpr std::string_view kOtherSecret = "integration/secret/1111111111111111111111";

std::string Now() { return protocol::FormatAmzDate(std::chrono::system_clock::now()); }

class KmsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (std::filesystem::temp_directory_path() / "kms-it-XXXXXX").string();
    dir_ = ::mkdtemp(templ.data());
    const std::string config = dir_ + "/config.json";
    std::ofstream(config) << json{
        {"accounts",
         {{{"id", "111122223333"},
           {"access_keys", {{{"access_key_id", kAkid}, {"secret_access_key", kSecret}}}}},
          {{"id", "444455556666"},
           {"access_keys",
            {{{"access_key_id", kOtherAkid}, {"secret_access_key", kOtherSecret}}}}}}}};
    ServeOptions options;
    options.listen = {"127.0.0.1:0", "[::1]:0"};
    options.data_dir = dir_ + "/data";
    options.config_file = config;
    options.auth = auth_;
    options.log_requests = false;
    auto server = LocalKmsServer::Create(options, /*handle_signals=*/false);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
    runner_ = std::thread([this] { server_->Run(); });
  }
  void TearDown() override {
    if (server_) server_->Shutdown();
    if (runner_.joinable()) runner_.join();
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string Host() const { return "127.0.0.1:" + std::to_string(server_->ports()[0]); }
  RawHttpClient Connect() {
    auto client = RawHttpClient::Connect("127.0.0.1", server_->ports()[0]);
    EXPECT_TRUE(client.ok()) << client.status().ToString();
    return std::move(client).value();
  }
  std::string Signed(std::string_view op, std::string_view body, std::string_view region = "us-east-1",
                     std::string_view akid = kAkid, std::string_view secret = kSecret,
                     const std::string& amz_date = Now()) {
    return testing::SignedKmsRequest(Host(), op, body, akid, secret, region, amz_date);
  }
  RawHttpResponse Send(const std::string& request) {
    RawHttpClient client = Connect();
    auto response = client.RoundTrip(request);
    EXPECT_TRUE(response.ok()) << response.status().ToString();
    return response.ok() ? std::move(response).value() : RawHttpResponse{};
  }
  static std::string TypeOf(const RawHttpResponse& r) {
    const json body = json::parse(r.body, nullptr, false);
    return body.is_object() ? body.value("__type", "") : "<not json: " + r.body + ">";
  }
  std::string CreateKey(std::string_view region = "us-east-1") {
    RawHttpResponse r = Send(Signed("CreateKey", "{}", region));
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body, nullptr, false)["KeyMetadata"].value("KeyId", "");
  }

  bool auth_ = true;
  std::string dir_;
  std::unique_ptr<LocalKmsServer> server_;
  std::thread runner_;
};

TEST_F(KmsServerTest, SignedGenerateDataKeySucceeds) {
  const std::string key_id = CreateKey();
  ASSERT_FALSE(key_id.empty());
  RawHttpResponse r =
      Send(Signed("GenerateDataKey", json{{"KeyId", key_id}, {"KeySpec", "AES_256"}}.dump()));
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(r.Header("x-amzn-RequestId").size(), 36u);
  const json body = json::parse(r.body, nullptr, false);
  EXPECT_TRUE(body.contains("CiphertextBlob"));
  EXPECT_TRUE(body.contains("Plaintext"));
}

TEST_F(KmsServerTest, MissingAuthorizationIsMissingAuthenticationToken) {
  RawHttpResponse r = Send(BuildRequest(
      "POST", "/",
      {{"Host", Host()}, {"Content-Type", "application/x-amz-json-1.1"},
       {"X-Amz-Target", "TrentService.ListKeys"}},
      "{}"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(TypeOf(r), "MissingAuthenticationTokenException");
}

TEST_F(KmsServerTest, UnknownAccessKeyIsUnrecognizedClient) {
  RawHttpResponse r = Send(Signed("ListKeys", "{}", "us-east-1", "AKIANOBODY", "x"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(TypeOf(r), "UnrecognizedClientException");
  EXPECT_NE(r.body.find("The security token included in the request is invalid."),
            std::string::npos);
}

TEST_F(KmsServerTest, WrongSecretIsInvalidSignature) {
  EXPECT_EQ(TypeOf(Send(Signed("ListKeys", "{}", "us-east-1", kAkid, "wrong"))),
            "InvalidSignatureException");
}

TEST_F(KmsServerTest, TimestampTenMinutesOldIsInvalidSignature) {
  const std::string old =
      protocol::FormatAmzDate(std::chrono::system_clock::now() - std::chrono::minutes(10));
  RawHttpResponse r = Send(Signed("ListKeys", "{}", "us-east-1", kAkid, kSecret, old));
  EXPECT_EQ(TypeOf(r), "InvalidSignatureException");
  EXPECT_NE(r.body.find("Signature expired"), std::string::npos);
}

TEST_F(KmsServerTest, MalformedAuthorizationIsIncompleteSignature) {
  RawHttpResponse r = Send(BuildRequest(
      "POST", "/",
      {{"Host", Host()}, {"Content-Type", "application/x-amz-json-1.1"},
       {"X-Amz-Target", "TrentService.ListKeys"}, {"X-Amz-Date", Now()},
       {"Authorization", "AWS4-HMAC-SHA256 Credential=AKIAINTEGRATION0001/bad"}},
      "{}"));
  EXPECT_EQ(TypeOf(r), "IncompleteSignatureException");
}

TEST_F(KmsServerTest, BadJsonIsSerializationException) {
  RawHttpResponse r = Send(Signed("ListKeys", "{not json"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(TypeOf(r), "SerializationException");
}

TEST_F(KmsServerTest, OversizeBodyIs413Json) {
  RawHttpResponse r = Send(Signed("Encrypt", std::string(2 * 1024 * 1024, ' ')));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(TypeOf(r), "RequestEntityTooLargeException");
}

TEST_F(KmsServerTest, UnknownOperationIsUnknownOperationException) {
  RawHttpResponse r = Send(Signed("FlyToTheMoon", "{}"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(TypeOf(r), "UnknownOperationException");
}

TEST_F(KmsServerTest, OtherPathsAndMethodsGetJsonErrors) {
  RawHttpResponse get = Send(BuildRequest("GET", "/", {{"Host", Host()}}, ""));
  EXPECT_EQ(get.status, 405);
  EXPECT_EQ(TypeOf(get), "UnknownOperationException");
  RawHttpResponse path = Send(BuildRequest("POST", "/admin", {{"Host", Host()}}, "{}"));
  EXPECT_EQ(path.status, 404);
  EXPECT_EQ(TypeOf(path), "UnknownOperationException");
}

TEST_F(KmsServerTest, OneConnectionServesManyRequests) {
  RawHttpClient client = Connect();
  for (int i = 0; i < 200; ++i) {
    auto r = client.RoundTrip(Signed("GenerateRandom", R"({"NumberOfBytes":32})"));
    ASSERT_TRUE(r.ok()) << i << ": " << r.status().ToString();
    ASSERT_EQ(r->status, 200) << r->body;
  }
}

TEST_F(KmsServerTest, ServesOnIpv6Loopback) {
  auto client = RawHttpClient::Connect("::1", server_->ports()[1]);
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  const std::string host = "[::1]:" + std::to_string(server_->ports()[1]);
  auto r = client->RoundTrip(
      testing::SignedKmsRequest(host, "ListKeys", "{}", kAkid, kSecret, "us-east-1", Now()));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200) << r->body;
}

TEST_F(KmsServerTest, KeysAreSeparatedByRegionFromTheCredentialScope) {
  const std::string key_id = CreateKey("eu-west-1");
  EXPECT_EQ(Send(Signed("DescribeKey", json{{"KeyId", key_id}}.dump(), "eu-west-1")).status, 200);
  EXPECT_EQ(TypeOf(Send(Signed("DescribeKey", json{{"KeyId", key_id}}.dump(), "us-east-1"))),
            "NotFoundException");
}

TEST_F(KmsServerTest, KeysAreSeparatedByAccountFromTheAccessKey) {
  const std::string key_id = CreateKey();
  RawHttpResponse r = Send(Signed("DescribeKey", json{{"KeyId", key_id}}.dump(), "us-east-1",
                                  kOtherAkid, kOtherSecret));
  EXPECT_EQ(TypeOf(r), "NotFoundException");
}

class KmsServerAuthOffTest : public KmsServerTest {
 protected:
  void SetUp() override {
    auth_ = false;
    KmsServerTest::SetUp();
  }
};

TEST_F(KmsServerAuthOffTest, AcceptsDummyCredentials) {
  RawHttpResponse r = Send(Signed("ListKeys", "{}", "us-east-1", "testing", "testing"));
  EXPECT_EQ(r.status, 200) << r.body;
}

}  // namespace
}  // namespace envelope::kms::server
