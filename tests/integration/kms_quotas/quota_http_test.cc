// Quotas over loopback HTTP: the throttling answer's exact shape and what it costs.
#include "tests/integration/kms_quotas/quota_server_fixture.h"

namespace envelope::kms::server::quota_it {
namespace {

TEST(QuotaHttp, ThrottledRequestIsHttp400ThrottlingExceptionWithTheKmsMessage) {
  QuotaServer server(json::parse(R"({"quotas": {"overrides": [{"quota": "ListKeys", "value": 0}]}})"));
  ASSERT_TRUE(server.ok());
  RawHttpClient c = server.Connect();
  RawHttpResponse r = server.Call(c, "ListKeys", json::object());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(QuotaServer::TypeOf(r), "ThrottlingException");
  EXPECT_EQ(json::parse(r.body)["message"],
            "You have exceeded the rate at which you may call KMS. Reduce the frequency of your "
            "calls.");
  EXPECT_EQ(r.Header("x-amzn-RequestId").size(), 36u);
}

TEST(QuotaHttp, OtherQuotasStillServeWhileOneIsExhausted) {
  QuotaServer server(json::parse(R"({"quotas": {"overrides": [{"quota": "ListKeys", "value": 0}]}})"));
  ASSERT_TRUE(server.ok());
  RawHttpClient c = server.Connect();
  EXPECT_EQ(server.Call(c, "ListAliases", json::object()).status, 200);
}

TEST(QuotaHttp, DisabledQuotasNeverThrottle) {
  QuotaServer server(json::parse(
      R"({"quotas": {"enabled": false, "overrides": [{"quota": "ListKeys", "value": 0}]}})"));
  ASSERT_TRUE(server.ok());
  RawHttpClient c = server.Connect();
  EXPECT_EQ(server.Call(c, "ListKeys", json::object()).status, 200);
}

TEST(QuotaHttp, CreateKeyAcceptsACustomKeyStoreAndDescribeKeyShowsIt) {
  QuotaServer server(json::object());
  ASSERT_TRUE(server.ok());
  const std::string arn = server.CreateKey({{"CustomKeyStoreId", "cks-0123456789abcdef0"}});
  RawHttpClient c = server.Connect();
  RawHttpResponse r = server.Call(c, "DescribeKey", {{"KeyId", arn}});
  ASSERT_EQ(r.status, 200) << r.body;
  const json meta = json::parse(r.body)["KeyMetadata"];
  EXPECT_EQ(meta.value("CustomKeyStoreId", ""), "cks-0123456789abcdef0");
  EXPECT_EQ(meta.value("Origin", ""), "AWS_CLOUDHSM");
}

TEST(QuotaHttp, BadQuotaConfigStopsTheServerAtStart) {
  std::string templ = (std::filesystem::temp_directory_path() / "kms-quota-XXXXXX").string();
  const std::string dir = ::mkdtemp(templ.data());
  std::ofstream(dir + "/config.json") << R"({"quotas": {"scale": "fast"}})";
  ServeOptions options;
  options.listen = {"127.0.0.1:0"};
  options.data_dir = dir + "/data";
  options.config_file = dir + "/config.json";
  auto server = LocalKmsServer::Create(options, false);
  EXPECT_FALSE(server.ok());
  if (!server.ok()) EXPECT_NE(server.status().message().find("quotas.scale"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace envelope::kms::server::quota_it
