// The data key caching story end to end: 4 encrypt workers (threads) encrypt 1 KiB messages
// (suite 0478) through the AWS KMS keyring and our KmsClient (standard retries) against the local
// KMS with the symmetric quota scaled to 50/s, for 5 s, first without and then with the caching
// CMM (max_age 60 s, max_messages 10,000, one cache shared by the workers).
//   - Without caching every message needs a GenerateDataKey: the workers exceed the quota, are
//     throttled, slow down and some messages fail.
//   - With caching the server sees a few GenerateDataKey calls per second, never throttles, and
//     the workers encrypt at least 10x as many messages per second.
// Sizing: the cached GenerateDataKey rate is messages/s / max_messages (workers that find a key
// used up together wait for one call). A Release build encrypts ~270,000 cached messages/s here,
// so 10,000 messages per data key make ~27 calls/s (1000 would make ~270/s, over the quota by
// itself). The quota is 50/s so that the 10x holds in a Debug build too (~1,000 cached messages/s).
#include <atomic>
#include <cmath>
#include <cstdio>
#include <thread>
#include <vector>

#include "envelope/envelope.h"
#include "envelope/keyrings.h"
#include "materials/aws_kms_keyring.h"
#include "tests/integration/kms_quotas/client_fixture.h"

namespace envelope::kms::server::quota_it {
namespace {

using Steady = std::chrono::steady_clock;

constexpr double kQuota = 50.0;  // symmetric, us-east-1: 50,000 x 0.001
constexpr int kWorkers = 4;
constexpr auto kRunTime = std::chrono::seconds(5);
constexpr std::uint64_t kMaxMessages = 10'000;  // per cached data key

struct Phase {
  std::int64_t messages = 0, failures = 0;
  double seconds = 0;
  KmsClientMetrics client;
  ServerCounts server;  // GenerateDataKey during the phase only
  double messages_per_s() const { return messages / seconds; }
  double server_gdk_per_s() const { return server.ok / seconds; }
};

class CachingStoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<QuotaServer>(json::parse(R"({"quotas": {"scale": 0.001}})"));
    ASSERT_TRUE(server_->ok());
    key_ = server_->CreateKey();
  }

  // A keyring over a new client (so each phase has its own client metrics) and its default CMM.
  CmmPtr DefaultCmm(std::shared_ptr<KmsClient>& client) {
    ClientOptions o = ClientOptionsFor(*server_, RetryMode::kStandard);
    o.operation_timeout = std::chrono::milliseconds(5000);
    auto c = KmsClient::Create(std::move(o));
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    client = std::move(c).value();
    AwsKmsKeyringOptions options;
    options.key_ids = {key_};
    options.client_supplier = [client](const std::string&) -> Result<std::shared_ptr<KmsApi>> {
      return std::shared_ptr<KmsApi>(client);
    };
    auto keyring = MakeAwsKmsKeyring(std::move(options));
    EXPECT_TRUE(keyring.ok()) << keyring.status().ToString();
    return MakeDefaultCmm(std::move(keyring).value());
  }

  Phase RunWorkers(CryptoMaterialsManager& cmm, const KmsClient& client) {
    const ServerCounts before = ReadServerCounts(*server_, "GenerateDataKey");
    EncryptOptions options;
    options.encryption_context = {{"purpose", "caching-story"}};
    options.suite = AlgorithmSuite::kAes256GcmHkdfSha512CommitKey;
    options.threads = 1;
    const std::vector<std::uint8_t> plaintext(1024, 0x5a);
    std::atomic<std::int64_t> messages{0}, failures{0};
    const Steady::time_point start = Steady::now();
    std::vector<std::thread> workers;
    for (int w = 0; w < kWorkers; ++w) {
      workers.emplace_back([&] {
        while (Steady::now() - start < kRunTime) {
          (EncryptBuffer(cmm, options, plaintext).ok() ? messages : failures).fetch_add(1);
        }
      });
    }
    for (auto& t : workers) t.join();
    Phase p;
    p.seconds = std::chrono::duration<double>(Steady::now() - start).count();
    p.messages = messages.load();
    p.failures = failures.load();
    p.client = client.metrics();
    const ServerCounts after = ReadServerCounts(*server_, "GenerateDataKey");
    p.server = {after.ok - before.ok, after.errors - before.errors,
                after.throttles - before.throttles};
    return p;
  }

  static void Print(const char* name, const Phase& p) {
    std::printf(
        "%s: %lld messages in %.2f s = %.0f msg/s, %lld failed | client: %lld GDK calls, %lld "
        "attempts, %lld throttles | server: GDK %.1f/s accepted, %lld throttled\n",
        name, static_cast<long long>(p.messages), p.seconds, p.messages_per_s(),
        static_cast<long long>(p.failures), static_cast<long long>(p.client.calls),
        static_cast<long long>(p.client.attempts), static_cast<long long>(p.client.throttles),
        p.server_gdk_per_s(), static_cast<long long>(p.server.throttles));
  }

  std::unique_ptr<QuotaServer> server_;
  std::string key_;
};

TEST_F(CachingStoryTest, CachingKeepsWorkersUnderTheQuotaAndEncryptsTenTimesMoreMessages) {
  std::shared_ptr<KmsClient> plain_client;
  CmmPtr plain = DefaultCmm(plain_client);
  const Phase uncached = RunWorkers(*plain, *plain_client);
  Print("uncached", uncached);

  std::shared_ptr<KmsClient> cached_client;
  CachingOptions caching;
  caching.capacity = 16;
  caching.max_age = std::chrono::seconds(60);
  caching.max_messages_encrypted = kMaxMessages;
  auto cmm = MakeCachingCmm(DefaultCmm(cached_client), caching);
  ASSERT_TRUE(cmm.ok()) << cmm.status().ToString();
  const Phase cached = RunWorkers(**cmm, *cached_client);
  Print("cached", cached);

  // Without caching the workers ran into the quota.
  EXPECT_GT(uncached.client.throttles, 0);
  EXPECT_GT(uncached.server.throttles, 0);
  // The server admits at most kQuota per aligned second; a phase touches ceil(seconds) + 1 of them.
  EXPECT_LE(uncached.server.ok, kQuota * (std::ceil(uncached.seconds) + 1));
  // With caching: under the quota, never refused, nothing failed, >= 10x the messages.
  EXPECT_LE(cached.server_gdk_per_s(), kQuota);
  EXPECT_EQ(cached.server.throttles, 0);
  EXPECT_EQ(cached.client.throttles, 0);
  EXPECT_EQ(cached.failures, 0);
  EXPECT_GE(cached.messages_per_s(), 10 * uncached.messages_per_s());
  // One data key serves at most kMaxMessages messages, and the workers that find it used up
  // together make one call for the next one, not one each.
  const std::int64_t renewals = cached.messages / static_cast<std::int64_t>(kMaxMessages);
  EXPECT_GE(cached.server.ok, renewals);
  EXPECT_LE(cached.server.ok, renewals + 1);
}

TEST_F(CachingStoryTest, CachedMessagesDecryptThroughTheKeyring) {
  std::shared_ptr<KmsClient> client;
  CmmPtr plain = DefaultCmm(client);
  CachingOptions caching;
  caching.capacity = 4;
  caching.max_age = std::chrono::seconds(60);
  caching.max_messages_encrypted = 1000;
  auto cmm = MakeCachingCmm(plain, caching);
  ASSERT_TRUE(cmm.ok());
  const std::vector<std::uint8_t> plaintext(1024, 0x33);
  EncryptOptions options;
  options.suite = AlgorithmSuite::kAes256GcmHkdfSha512CommitKey;
  auto first = EncryptBuffer(**cmm, options, plaintext);
  auto second = EncryptBuffer(**cmm, options, plaintext);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(ReadServerCounts(*server_, "GenerateDataKey").ok, 1);  // the second was cached
  auto decrypted = DecryptBuffer(*plain, DecryptOptions{}, *second);
  ASSERT_TRUE(decrypted.ok()) << decrypted.status().ToString();
  EXPECT_EQ(*decrypted, plaintext);
}

}  // namespace
}  // namespace envelope::kms::server::quota_it
