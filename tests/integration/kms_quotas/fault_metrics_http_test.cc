// Fault injection and the admin endpoint (faults, metrics, quotas) over loopback HTTP.
#include <chrono>

#include "tests/integration/kms_quotas/quota_server_fixture.h"

namespace envelope::kms::server::quota_it {
namespace {

using testing::BuildRequest;

class FaultHttpTest : public ::testing::Test {
 protected:
  void Start(const json& config = json::object()) {
    server_ = std::make_unique<QuotaServer>(config);
    ASSERT_TRUE(server_->ok());
  }
  RawHttpResponse Admin(std::string_view method, std::string_view target,
                        std::string_view body = "", std::string_view token = "") {
    std::vector<protocol::HttpHeader> headers = {{"Host", server_->Host()}};
    if (!token.empty()) headers.push_back({"Authorization", "Bearer " + std::string(token)});
    RawHttpClient c = server_->Connect();
    auto r = c.RoundTrip(BuildRequest(method, target, headers, body));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r).value() : RawHttpResponse{};
  }
  void AddFault(const json& rule) {
    RawHttpResponse r = Admin("POST", "/_envelope/faults", rule.dump());
    ASSERT_EQ(r.status, 200) << r.body;
  }
  RawHttpResponse ListKeys() {
    RawHttpClient c = server_->Connect();
    return server_->Call(c, "ListKeys", json::object());
  }
  std::unique_ptr<QuotaServer> server_;
};

TEST_F(FaultHttpTest, InternalFaultIs500KmsInternalException) {
  Start();
  AddFault({{"kind", "internal"}, {"operation", "ListKeys"}, {"count", 1}});
  RawHttpResponse r = ListKeys();
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(QuotaServer::TypeOf(r), "KMSInternalException");
  EXPECT_EQ(ListKeys().status, 200);  // count 1: fired once
}

TEST_F(FaultHttpTest, UnavailableFaultIs503DependencyTimeoutException) {
  Start();
  AddFault({{"kind", "unavailable"}});
  RawHttpResponse r = ListKeys();
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(QuotaServer::TypeOf(r), "DependencyTimeoutException");
}

TEST_F(FaultHttpTest, ThrottleFaultIsThrottlingException) {
  Start();
  AddFault({{"kind", "throttle"}});
  RawHttpResponse r = ListKeys();
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(QuotaServer::TypeOf(r), "ThrottlingException");
}

TEST_F(FaultHttpTest, LatencyFaultDelaysTheAnswer) {
  Start();
  AddFault({{"kind", "latency"}, {"ms", 200}});
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(ListKeys().status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(200));
}

TEST_F(FaultHttpTest, ResetFaultCutsTheResponse) {
  Start();
  AddFault({{"kind", "reset"}});
  RawHttpClient c = server_->Connect();
  auto r = c.RoundTrip(server_->Signed("ListKeys", json::object()));
  EXPECT_FALSE(r.ok()) << r->status << " " << r->body;
}

TEST_F(FaultHttpTest, HangFaultNeverAnswersAndClosesAfterItsTime) {
  Start();
  AddFault({{"kind", "hang"}, {"ms", 300}});
  RawHttpClient c = server_->Connect();
  const auto start = std::chrono::steady_clock::now();
  auto r = c.RoundTrip(server_->Signed("ListKeys", json::object()));
  EXPECT_FALSE(r.ok());
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(290));
}

TEST_F(FaultHttpTest, FaultsFromTheConfigFileApply) {
  Start(json::parse(R"({"faults": [{"kind": "unavailable", "operation": "ListKeys"}]})"));
  EXPECT_EQ(ListKeys().status, 503);
}

TEST_F(FaultHttpTest, FaultRulesAreListedAndCleared) {
  Start();
  AddFault({{"kind", "internal"}, {"account", "444455556666"}});
  json list = json::parse(Admin("GET", "/_envelope/faults").body);
  ASSERT_EQ(list["faults"].size(), 1u);
  EXPECT_EQ(list["faults"][0]["kind"], "internal");
  EXPECT_EQ(ListKeys().status, 200);  // another account
  EXPECT_EQ(Admin("DELETE", "/_envelope/faults").status, 200);
  EXPECT_TRUE(json::parse(Admin("GET", "/_envelope/faults").body)["faults"].empty());
}

TEST_F(FaultHttpTest, BadFaultRuleIs400) {
  Start();
  EXPECT_EQ(Admin("POST", "/_envelope/faults", R"({"kind": "explode"})").status, 400);
}

TEST_F(FaultHttpTest, ConfiguredTokenIsRequired) {
  Start(json::parse(R"({"admin": {"token": "s3cret"}})"));
  EXPECT_EQ(Admin("GET", "/_envelope/faults").status, 403);
  EXPECT_EQ(Admin("GET", "/_envelope/faults", "", "wrong!").status, 403);
  EXPECT_EQ(Admin("GET", "/_envelope/faults", "", "s3cret").status, 200);
}

TEST_F(FaultHttpTest, MetricsCountRequestsThrottlesAndQuotaUsage) {
  Start(json::parse(R"({"quotas": {"overrides": [{"quota": "ListKeys", "value": 1}]}})"));
  for (int i = 0; i < 3; ++i) ListKeys();
  RawHttpResponse r = Admin("GET", "/_envelope/metrics");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.Header("Content-Type").find("text/plain"), std::string::npos);
  EXPECT_NE(r.body.find("envelope_kms_requests_total{operation=\"ListKeys\",account="
                        "\"111122223333\",status=\"200\"}"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("envelope_kms_throttles_total{operation=\"ListKeys\",account="
                        "\"111122223333\",quota=\"ListKeys\"}"),
            std::string::npos);
  EXPECT_NE(r.body.find("envelope_kms_request_duration_seconds_bucket{operation=\"ListKeys\","
                        "le=\"+Inf\"} 3"),
            std::string::npos);
  EXPECT_NE(r.body.find("envelope_kms_quota_limit{account=\"111122223333\",region=\"us-east-1\","
                        "quota=\"ListKeys\"}"),
            std::string::npos);
}

TEST_F(FaultHttpTest, QuotasEndpointShowsValuesAndUsagePerQuota) {
  Start(json::parse(R"({"quotas": {"scale": 0.5}})"));
  RawHttpClient c = server_->Connect();
  server_->Call(c, "CreateKey", json::object());
  json q = json::parse(Admin("GET", "/_envelope/quotas?account=111122223333&region=us-east-1").body);
  EXPECT_EQ(q["Edition"], "2023");
  bool found = false;
  for (const json& row : q["Quotas"]) {
    if (row["QuotaCode"] == "CreateKey") {
      found = true;
      EXPECT_EQ(row["QuotaName"], "CreateKey request rate");
      EXPECT_EQ(row["Value"], 2.5);
      EXPECT_LE(row["Usage"].get<int>(), 1);
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(FaultHttpTest, UnknownAdminPathIs404) {
  Start();
  EXPECT_EQ(Admin("GET", "/_envelope/nothing").status, 404);
}

}  // namespace
}  // namespace envelope::kms::server::quota_it
