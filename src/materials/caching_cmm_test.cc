#include <gtest/gtest.h>

#include <memory>
#include <thread>

#include "core/clock.h"
#include "envelope/keyrings.h"
#include "materials/aws_kms_keyring.h"
#include "materials/fake_kms_test_util.h"
#include "materials/materials_cache.h"
#include "materials/test_util.h"

namespace envelope {
namespace {

using namespace std::chrono_literals;
using testing::FakeKms;
using testing::kArnA;

constexpr AlgorithmSuite kUnsigned = AlgorithmSuite::kAes256GcmHkdfSha512CommitKey;

class FakeClock final : public Clock {
 public:
  TimePoint Now() const override { return now_; }
  std::chrono::system_clock::time_point WallNow() const override { return {}; }
  void SleepFor(Duration d) override { now_ += d; }
  void Advance(Duration d) { now_ += d; }

 private:
  TimePoint now_{};
};

// A default CMM over a KMS keyring over a counting fake KMS, and a caching CMM over that.
struct Fixture {
  Fixture() { kms->AddKey(kArnA); }
  CmmPtr Underlying() {
    auto keyring = MakeAwsKmsKeyring(
        {{kArnA}, {}, [this](const std::string&) -> Result<std::shared_ptr<kms::KmsApi>> {
           return std::shared_ptr<kms::KmsApi>(kms);
         }});
    EXPECT_TRUE(keyring.ok());
    return MakeDefaultCmm(*keyring);
  }
  CmmPtr Caching(CachingOptions options) {
    if (options.clock == nullptr) {
      options.clock = &clock;
    }
    auto cmm = MakeCachingCmm(Underlying(), std::move(options));
    EXPECT_TRUE(cmm.ok()) << cmm.status().ToString();
    return cmm.ok() ? *cmm : nullptr;
  }
  static CachingOptions Options(std::size_t capacity = 10) {
    CachingOptions options;
    options.capacity = capacity;
    options.max_age = 60s;
    return options;
  }
  std::shared_ptr<FakeKms> kms = std::make_shared<FakeKms>();
  FakeClock clock;
};

EncryptionMaterialsRequest Request(std::uint64_t length = 100, EncryptionContext context = {},
                                   std::optional<AlgorithmSuite> suite = kUnsigned) {
  EncryptionMaterialsRequest request;
  request.encryption_context = std::move(context);
  request.suite = suite;
  request.max_plaintext_length = length;
  return request;
}

Result<EncryptionMaterials> Get(CmmPtr& cmm, const EncryptionMaterialsRequest& request) {
  return cmm->GetEncryptionMaterials(request);
}

TEST(CachingCmm, TenThousandMessagesWithMaxMessages1000MakeTenGenerateDataKeyCalls) {
  Fixture f;
  CachingOptions options = Fixture::Options();
  options.max_messages_encrypted = 1000;
  CmmPtr cmm = f.Caching(options);
  for (int i = 0; i < 10000; ++i) {
    ASSERT_TRUE(Get(cmm, Request(1024, {{"purpose", "bulk"}})).ok());
  }
  EXPECT_EQ(f.kms->generate_calls, 10);
}

TEST(CachingCmm, ReusesTheDataKeyForTheSameContext) {
  Fixture f;
  CmmPtr cmm = f.Caching(Fixture::Options());
  auto first = Get(cmm, Request());
  auto second = Get(cmm, Request());
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_TRUE(first->data_key.Equals(second->data_key.span()));
  EXPECT_EQ(first->encrypted_data_keys, second->encrypted_data_keys);
  EXPECT_EQ(f.kms->generate_calls, 1);
}

TEST(CachingCmm, DifferentContextsGetDifferentDataKeys) {
  Fixture f;
  CmmPtr cmm = f.Caching(Fixture::Options());
  ASSERT_TRUE(Get(cmm, Request(100, {{"a", "1"}})).ok());
  ASSERT_TRUE(Get(cmm, Request(100, {{"a", "2"}})).ok());
  EXPECT_EQ(f.kms->generate_calls, 2);
}

TEST(CachingCmm, AnEntryExpiresAfterMaxAge) {
  Fixture f;
  CmmPtr cmm = f.Caching(Fixture::Options());
  ASSERT_TRUE(Get(cmm, Request()).ok());
  f.clock.Advance(59s);
  ASSERT_TRUE(Get(cmm, Request()).ok());
  EXPECT_EQ(f.kms->generate_calls, 1);
  f.clock.Advance(1s);
  ASSERT_TRUE(Get(cmm, Request()).ok());
  EXPECT_EQ(f.kms->generate_calls, 2);
}

TEST(CachingCmm, MaxAgeAcceptsFractionsOfASecond) {
  Fixture f;
  CachingOptions options = Fixture::Options();
  options.max_age = std::chrono::duration<double>(0.25);
  CmmPtr cmm = f.Caching(options);
  ASSERT_TRUE(Get(cmm, Request()).ok());
  f.clock.Advance(200ms);
  ASSERT_TRUE(Get(cmm, Request()).ok());
  f.clock.Advance(50ms);
  ASSERT_TRUE(Get(cmm, Request()).ok());
  EXPECT_EQ(f.kms->generate_calls, 2);
}

TEST(CachingCmm, ByteLimitForcesANewDataKey) {
  Fixture f;
  CachingOptions options = Fixture::Options();
  options.max_bytes_encrypted = 250;
  CmmPtr cmm = f.Caching(options);
  ASSERT_TRUE(Get(cmm, Request(100)).ok());  // 100
  ASSERT_TRUE(Get(cmm, Request(100)).ok());  // 200
  EXPECT_EQ(f.kms->generate_calls, 1);
  ASSERT_TRUE(Get(cmm, Request(100)).ok());  // 300 > 250: new key
  EXPECT_EQ(f.kms->generate_calls, 2);
}

TEST(CachingCmm, AMessageLargerThanTheByteLimitIsNeverCached) {
  Fixture f;
  CachingOptions options = Fixture::Options();
  options.max_bytes_encrypted = 50;
  CmmPtr cmm = f.Caching(options);
  ASSERT_TRUE(Get(cmm, Request(100)).ok());
  ASSERT_TRUE(Get(cmm, Request(100)).ok());
  EXPECT_EQ(f.kms->generate_calls, 2);
}

TEST(CachingCmm, UnknownPlaintextLengthIsNeverCached) {
  Fixture f;
  CmmPtr cmm = f.Caching(Fixture::Options());
  EncryptionMaterialsRequest request = Request();
  request.max_plaintext_length.reset();
  ASSERT_TRUE(Get(cmm, request).ok());
  ASSERT_TRUE(Get(cmm, request).ok());
  EXPECT_EQ(f.kms->generate_calls, 2);
}

TEST(CachingCmm, SuitesWithoutKdfAreNeverCached) {
  Fixture f;
  CmmPtr cmm = f.Caching(Fixture::Options());
  EncryptionMaterialsRequest request = Request(100, {}, AlgorithmSuite::kAes256GcmIv12Tag16NoKdf);
  request.commitment_policy = CommitmentPolicy::kForbidEncryptAllowDecrypt;
  ASSERT_TRUE(Get(cmm, request).ok());
  ASSERT_TRUE(Get(cmm, request).ok());
  EXPECT_EQ(f.kms->generate_calls, 2);
}

TEST(CachingCmm, SigningSuitesReuseTheSigningKeyWithTheDataKey) {
  Fixture f;
  CmmPtr cmm = f.Caching(Fixture::Options());
  auto request = Request(100, {}, AlgorithmSuite::kAes256GcmHkdfSha512CommitKeyEcdsaP384);
  auto first = Get(cmm, request);
  auto second = Get(cmm, request);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(f.kms->generate_calls, 1);
  EXPECT_TRUE(first->signing_key.Equals(second->signing_key.span()));
  EXPECT_EQ(first->encryption_context, second->encryption_context);
}

TEST(CachingCmm, ARequestWithoutSuiteNeverGetsASuiteItsPolicyForbids) {
  Fixture f;
  CmmPtr cmm = f.Caching(Fixture::Options());
  auto committing = Get(cmm, Request(100, {}, std::nullopt));
  EncryptionMaterialsRequest forbid = Request(100, {}, std::nullopt);
  forbid.commitment_policy = CommitmentPolicy::kForbidEncryptAllowDecrypt;
  auto legacy = Get(cmm, forbid);
  ASSERT_TRUE(committing.ok() && legacy.ok());
  EXPECT_EQ(committing->suite, AlgorithmSuite::kAes256GcmHkdfSha512CommitKeyEcdsaP384);
  EXPECT_EQ(legacy->suite, AlgorithmSuite::kAes256GcmIv12Tag16HkdfSha384EcdsaP384);
  EXPECT_EQ(f.kms->generate_calls, 2);
}

TEST(CachingCmm, CapacityEvictsTheLeastRecentlyUsedEntry) {
  Fixture f;
  CmmPtr cmm = f.Caching(Fixture::Options(2));
  ASSERT_TRUE(Get(cmm, Request(100, {{"k", "a"}})).ok());
  ASSERT_TRUE(Get(cmm, Request(100, {{"k", "b"}})).ok());
  ASSERT_TRUE(Get(cmm, Request(100, {{"k", "a"}})).ok());  // a is now the most recent
  ASSERT_TRUE(Get(cmm, Request(100, {{"k", "c"}})).ok());  // evicts b
  EXPECT_EQ(f.kms->generate_calls, 3);
  ASSERT_TRUE(Get(cmm, Request(100, {{"k", "a"}})).ok());
  EXPECT_EQ(f.kms->generate_calls, 3);
  ASSERT_TRUE(Get(cmm, Request(100, {{"k", "b"}})).ok());
  EXPECT_EQ(f.kms->generate_calls, 4);
}

TEST(CachingCmm, CmmsShareEntriesOfASharedCacheOnlyInTheSamePartition) {
  Fixture f;
  auto cache = MakeMaterialsCache(10, &f.clock);
  CachingOptions one = Fixture::Options();
  one.cache = cache;
  one.partition = "team-a";
  CachingOptions same = one;
  CachingOptions other = one;
  other.partition = "team-b";
  CmmPtr a = f.Caching(one);
  CmmPtr a2 = f.Caching(same);
  CmmPtr b = f.Caching(other);
  ASSERT_TRUE(Get(a, Request()).ok());
  ASSERT_TRUE(Get(a2, Request()).ok());
  EXPECT_EQ(f.kms->generate_calls, 1);
  ASSERT_TRUE(Get(b, Request()).ok());
  EXPECT_EQ(f.kms->generate_calls, 2);
}

TEST(CachingCmm, CmmsWithoutAPartitionNeverShareEntries) {
  Fixture f;
  CachingOptions options = Fixture::Options();
  options.cache = MakeMaterialsCache(10, &f.clock);
  CmmPtr a = f.Caching(options);
  CmmPtr b = f.Caching(options);
  ASSERT_TRUE(Get(a, Request()).ok());
  ASSERT_TRUE(Get(b, Request()).ok());
  EXPECT_EQ(f.kms->generate_calls, 2);
}

DecryptMaterialsRequest DecryptRequest(const EncryptionMaterials& enc) {
  DecryptMaterialsRequest request;
  request.suite = enc.suite;
  request.encrypted_data_keys = enc.encrypted_data_keys;
  request.encryption_context = enc.encryption_context;
  return request;
}

TEST(CachingCmm, DecryptMaterialsAreCachedPerEdksAndContext) {
  Fixture f;
  CmmPtr cmm = f.Caching(Fixture::Options());
  auto enc = Get(cmm, Request(100, {{"k", "v"}}));
  ASSERT_TRUE(enc.ok());
  for (int i = 0; i < 3; ++i) {
    auto dec = cmm->DecryptMaterials(DecryptRequest(*enc));
    ASSERT_TRUE(dec.ok());
    EXPECT_TRUE(dec->data_key.Equals(enc->data_key.span()));
  }
  EXPECT_EQ(f.kms->decrypt_calls, 1);
  f.clock.Advance(61s);
  ASSERT_TRUE(cmm->DecryptMaterials(DecryptRequest(*enc)).ok());
  EXPECT_EQ(f.kms->decrypt_calls, 2);
}

TEST(CachingCmm, ADifferentReproducedContextIsCheckedAgainNotServedFromTheCache) {
  Fixture f;
  CmmPtr cmm = f.Caching(Fixture::Options());
  auto enc = Get(cmm, Request(100, {{"k", "v"}}));
  ASSERT_TRUE(enc.ok());
  ASSERT_TRUE(cmm->DecryptMaterials(DecryptRequest(*enc)).ok());
  DecryptMaterialsRequest wrong = DecryptRequest(*enc);
  wrong.reproduced_encryption_context = {{"k", "other"}};
  EXPECT_FALSE(cmm->DecryptMaterials(wrong).ok());
}

TEST(CachingCmm, ConcurrentEncryptsStayWithinTheMessageLimit) {
  Fixture f;
  CachingOptions options = Fixture::Options();
  options.max_messages_encrypted = 100;
  CmmPtr cmm = f.Caching(options);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 250; ++i) {
        if (!Get(cmm, Request()).ok()) {
          ++failures;
        }
      }
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  EXPECT_EQ(failures, 0);
  // 1000 messages / 100: threads that miss together wait for one call instead of each making one.
  EXPECT_EQ(f.kms->generate_calls, 10);
}

TEST(CachingCmm, RejectsBadOptions) {
  Fixture f;
  CachingOptions no_capacity = Fixture::Options(0);
  EXPECT_FALSE(MakeCachingCmm(f.Underlying(), no_capacity).ok());
  CachingOptions no_age = Fixture::Options();
  no_age.max_age = 0s;
  EXPECT_FALSE(MakeCachingCmm(f.Underlying(), no_age).ok());
  CachingOptions no_messages = Fixture::Options();
  no_messages.max_messages_encrypted = 0;
  EXPECT_FALSE(MakeCachingCmm(f.Underlying(), no_messages).ok());
  EXPECT_FALSE(MakeCachingCmm(nullptr, Fixture::Options()).ok());
}

}  // namespace
}  // namespace envelope
