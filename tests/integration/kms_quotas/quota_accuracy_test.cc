// Accuracy: under a sustained load of 2×Q and 4×Q for 10 s, the accepted rate is within 5% of Q
// in every second, for CreateKey (5/s), the symmetric quota scaled to 100/s and the RSA quota
// scaled to 50/s. Requests are paced inside each second away from its boundaries (3%..97%), so a
// request's send second is the second the server charges it in. Bounded: 10 s and 4Q×10 requests
// per run.
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "tests/integration/kms_quotas/quota_server_fixture.h"

namespace envelope::kms::server::quota_it {
namespace {

using Clock = std::chrono::system_clock;

class QuotaAccuracyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Symmetric in us-east-1: 50,000 × 0.002 = 100/s; RSA 1,000 × 0.002 = 2/s is overridden.
    server_ = std::make_unique<QuotaServer>(json::parse(R"({"quotas": {"scale": 0.002,
        "overrides": [{"quota": "CreateKey", "value": 5},
                      {"quota": "CryptographicOperationsRSA", "value": 50}]}})"));
    ASSERT_TRUE(server_->ok());
  }

  // Sends `rate` requests per second for `seconds` whole seconds from 4 connections; returns the
  // accepted count per second. Any answer other than 200 or ThrottlingException fails the test.
  std::map<std::int64_t, int> Load(std::string_view op, const json& body, int rate, int seconds) {
    const std::int64_t first =
        std::chrono::duration_cast<std::chrono::seconds>(Clock::now().time_since_epoch()).count() +
        1;
    std::mutex mu;
    std::map<std::int64_t, int> accepted;
    std::atomic<int> unexpected{0};
    constexpr int kThreads = 4;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        RawHttpClient c = server_->Connect();
        for (int s = 0; s < seconds; ++s) {
          for (int i = t; i < rate; i += kThreads) {
            const auto at = Clock::time_point(std::chrono::seconds(first + s)) +
                            std::chrono::microseconds(30'000 + i * 940'000 / rate);
            std::this_thread::sleep_until(at);  // pacing the load, not waiting for a result
            RawHttpResponse r = server_->Call(c, op, body);
            if (r.status == 200) {
              std::lock_guard lock(mu);
              ++accepted[first + s];
            } else if (QuotaServer::TypeOf(r) != "ThrottlingException") {
              unexpected.fetch_add(1);
            }
          }
        }
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(unexpected.load(), 0);
    for (int s = 0; s < seconds; ++s) accepted.try_emplace(first + s, 0);
    return accepted;
  }

  void ExpectRate(std::string_view op, const json& body, int quota, int factor) {
    for (const auto& [second, n] : Load(op, body, quota * factor, 10)) {
      EXPECT_NEAR(n, quota, quota * 0.05) << op << " at " << factor << "xQ, second " << second;
    }
  }
  std::unique_ptr<QuotaServer> server_;
};

TEST_F(QuotaAccuracyTest, CreateKeyAcceptsFivePerSecondUnderTwiceAndFourTimesTheQuota) {
  ExpectRate("CreateKey", json::object(), 5, 2);
  ExpectRate("CreateKey", json::object(), 5, 4);
}

TEST_F(QuotaAccuracyTest, ScaledSymmetricQuotaHoldsUnderTwiceAndFourTimesTheQuota) {
  const std::string key = server_->CreateKey();
  const json body = {{"KeyId", key}, {"KeySpec", "AES_256"}};
  ExpectRate("GenerateDataKey", body, 100, 2);
  ExpectRate("GenerateDataKey", body, 100, 4);
}

TEST_F(QuotaAccuracyTest, ScaledRsaQuotaHoldsUnderTwiceAndFourTimesTheQuota) {
  const std::string key =
      server_->CreateKey({{"KeySpec", "RSA_2048"}, {"KeyUsage", "SIGN_VERIFY"}});
  const json body = {{"KeyId", key}, {"Message", "aGVsbG8="},
                     {"SigningAlgorithm", "RSASSA_PSS_SHA_256"}};
  ExpectRate("Sign", body, 50, 2);
  ExpectRate("Sign", body, 50, 4);
}

}  // namespace
}  // namespace envelope::kms::server::quota_it
