#pragma once
// QuotaEngine: decides whether a KMS request is within the AWS KMS request quotas, after
// authentication and before the operation runs (Spec: docs/kms-server.md#request-quotas).
//
// Buckets are (calling account, Region of the credential scope, quota). Management operations are
// charged against their own quota without looking at the body. Cryptographic operations are
// charged against the shared quota of the resolved key's type (symmetric and HMAC, RSA, ECC);
// the key comes from a cheap scan of the body (KeyId, SourceKeyId for ReEncrypt, or the key named
// in a Decrypt blob) and a read-only look-up. GenerateDataKeyPair* charge their KeyPairSpec's
// quota. A key in a custom key store is charged to the account and to the store (a bucket shared
// by all accounts). AWS-owned keys (configured by id) are free. A request that names no known key
// is charged against the symmetric quota.
//
// Thread-safe and lock-free on the hot path (see QuotaLimiter). The resolver and clock must
// outlive the engine.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "envelope/result.h"
#include "kms/api/caller.h"
#include "kms/server/kms_service.h"
#include "kms/server/quota_gate.h"
#include "kms/server/quota_limiter.h"
#include "kms/server/quota_table.h"

namespace envelope::kms::server {

struct QuotaOverride {
  std::string quota;    // a quota id ("CreateKey") or Service Quotas name
  std::string account;  // "" = every account (for CustomKeyStore: the store id, "" = every store)
  std::string region;   // "" = every Region
  double value = 0;     // requests per second, not scaled
};

struct QuotaConfig {
  bool enabled = true;
  QuotaEdition edition = QuotaEdition::k2023;
  double scale = 1.0;  // multiplies every edition default (not overrides)
  bool count_failed_requests = true;  // false: a request that fails gives its quota back
  std::vector<QuotaOverride> overrides;  // the most specific match wins; later wins among equals
  std::set<std::string> aws_owned_keys;  // key ids whose use is never counted

  // The "quotas" member of the server config file (absent: the defaults). Strict: unknown
  // members, wrong types, unknown quotas and negative values are kInvalidArgument.
  static Result<QuotaConfig> FromConfigJson(std::string_view file_json);
};

class QuotaEngine final : public QuotaGate {
 public:
  using KeyResolver = std::function<std::optional<KmsService::KeyTypeInfo>(
      const Caller&, std::string_view key_id)>;

  QuotaEngine(QuotaConfig config, KeyResolver resolver, Clock& clock);

  // Charges the request's quotas, or refuses it (nothing charged) when one is full.
  QuotaDecision Admit(const Caller& caller, std::string_view operation,
                      std::string_view body) override;
  // After the operation: refunds a failed request when count_failed_requests is false.
  void Settle(const QuotaDecision& decision, bool failed) override;

  // One quota's state for an account and Region, the way Service Quotas lists it.
  struct UsageRow {
    std::string quota_id;
    std::string name;
    std::string region;
    double value = 0;         // effective requests per second
    std::uint32_t usage = 0;  // requests in the current window
    std::uint32_t window_s = 1;
  };
  // Every quota for `account` in `region` (usage 0 where nothing was charged yet).
  std::vector<UsageRow> Usage(std::string_view account, std::string_view region) const;
  // Every bucket that has been charged: (account or "store:ID", region, quota id, usage, limit).
  struct BucketRow {
    std::string account, region, quota_id;
    std::uint32_t usage = 0;
    double value = 0;
  };
  std::vector<BucketRow> Buckets() const;

  // The effective value of `quota` for (account, region): override, else default × scale.
  double Value(const QuotaDef& quota, std::string_view account, std::string_view region) const;
  bool enabled() const { return config_.enabled; }
  const QuotaConfig& config() const { return config_; }

  // The ThrottlingException the front answers with.
  static Status ThrottlingError();

 private:
  struct Target;
  std::optional<Target> Classify(const Caller& caller, std::string_view operation,
                                 std::string_view body) const;
  QuotaBucket& BucketFor(std::string_view account, std::string_view region,
                         const QuotaDef& quota);
  std::int64_t NowSeconds() const;

  QuotaConfig config_;
  KeyResolver resolver_;
  Clock& clock_;
  QuotaLimiter limiter_;
};

}  // namespace envelope::kms::server
