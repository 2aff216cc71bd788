#include "kms/server/quota_engine.h"

#include <chrono>

#include "core/encoding.h"
#include "kms/api/arn.h"
#include "kms/api/errors.h"
#include "kms/server/ciphertext_blob.h"
#include "kms/server/quota_json_scan.h"

namespace envelope::kms::server {
namespace {

const QuotaDef& Quota(std::string_view id) { return *FindQuota(id); }

std::string_view KeyTypeQuota(KeyFamily family) {
  switch (family) {
    case KeyFamily::kSymmetric:
    case KeyFamily::kHmac: return kQuotaSymmetric;
    case KeyFamily::kRsa: return kQuotaRsa;
    case KeyFamily::kEcc: return kQuotaEcc;
  }
  return kQuotaSymmetric;
}

// The key a Decrypt/ReEncrypt blob of this server names, as a key ARN; "" for other blobs.
std::string KeyArnFromBlob(std::string_view body) {
  std::optional<std::string> blob64 = TopLevelJsonString(body, "CiphertextBlob");
  if (!blob64) return "";
  // The header is within the first 3 + 3*255 + 4 bytes: decode only that much base64.
  std::string_view head = *blob64;
  head = head.substr(0, std::min<std::size_t>(head.size(), 1040));
  Result<Bytes> bytes = Base64Decode(head);
  if (!bytes.ok()) return "";
  Result<BlobHeader> header = ParseBlobHeader(*bytes);
  if (!header.ok()) return "";
  return KeyArn(PartitionForRegion(header->region), header->region, header->account,
                header->key_id);
}

// Builds "account|region|quota" into a per-thread buffer, so the hot path does not allocate.
std::string_view BucketKey(std::string_view account, std::string_view region,
                           std::string_view quota) {
  thread_local std::string key;
  key.clear();
  key.append(account).push_back('|');
  key.append(region).push_back('|');
  key.append(quota);
  return key;
}

int Specificity(const QuotaOverride& o) {
  return (o.account.empty() ? 0 : 2) + (o.region.empty() ? 0 : 1);
}

}  // namespace

// The quotas one request is charged against.
struct QuotaEngine::Target {
  const QuotaDef* account_quota = nullptr;  // nullptr: free
  std::string store_id;                     // non-empty: the store quota too
  std::string store_region;
};

QuotaEngine::QuotaEngine(QuotaConfig config, KeyResolver resolver, Clock& clock)
    : config_(std::move(config)), resolver_(std::move(resolver)), clock_(clock) {}

Status QuotaEngine::ThrottlingError() {
  return Status(Code::kResourceExhausted, std::string(kThrottlingMessage),
                std::string(kThrottlingType));
}

std::int64_t QuotaEngine::NowSeconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_.WallNow().time_since_epoch())
      .count();
}

double QuotaEngine::Value(const QuotaDef& quota, std::string_view account,
                          std::string_view region) const {
  const QuotaOverride* best = nullptr;
  for (const QuotaOverride& o : config_.overrides) {
    if (o.quota != quota.id) continue;
    if (!o.account.empty() && o.account != account) continue;
    if (!o.region.empty() && o.region != region) continue;
    if (best == nullptr || Specificity(o) >= Specificity(*best)) best = &o;
  }
  if (best != nullptr) return best->value;
  return DefaultQuotaValue(quota, config_.edition, region) * config_.scale;
}

QuotaBucket& QuotaEngine::BucketFor(std::string_view account, std::string_view region,
                                    const QuotaDef& quota) {
  std::string_view key = BucketKey(account, region, quota.id);
  if (QuotaBucket* bucket = limiter_.Find(key)) return *bucket;
  return limiter_.Insert(key, QuotaLimit::FromRate(Value(quota, account, region)));
}

std::optional<QuotaEngine::Target> QuotaEngine::Classify(const Caller& caller,
                                                         std::string_view operation,
                                                         std::string_view body) const {
  Target target;
  switch (QuotaClassFor(operation)) {
    case QuotaClass::kNone: return std::nullopt;
    case QuotaClass::kOwn: target.account_quota = FindQuota(operation); return target;
    case QuotaClass::kKeyPairSpec: {
      std::optional<std::string> spec = TopLevelJsonString(body, "KeyPairSpec");
      if (!spec) return std::nullopt;
      target.account_quota = FindQuota(std::string(kQuotaKeyPairPrefix) + *spec);
      if (target.account_quota == nullptr) return std::nullopt;
      return target;
    }
    case QuotaClass::kRandom: {
      target.account_quota = &Quota(kQuotaSymmetric);
      target.store_id = TopLevelJsonString(body, "CustomKeyStoreId").value_or("");
      target.store_region = caller.region;
      return target;
    }
    case QuotaClass::kKeyType: break;
  }
  std::optional<std::string> key_id =
      TopLevelJsonString(body, operation == "ReEncrypt" ? "SourceKeyId" : "KeyId");
  if (!key_id && (operation == "Decrypt" || operation == "ReEncrypt")) key_id = KeyArnFromBlob(body);
  std::optional<KmsService::KeyTypeInfo> key;
  if (key_id && !key_id->empty()) key = resolver_(caller, *key_id);
  target.account_quota = &Quota(kQuotaSymmetric);
  if (!key) return target;
  if (config_.aws_owned_keys.count(key->key_id) != 0) return Target{};  // free
  target.account_quota = &Quota(KeyTypeQuota(key->family));
  if (!key->custom_key_store_id.empty() && CountsAgainstKeyStore(operation)) {
    target.store_id = key->custom_key_store_id;
    target.store_region = key->region;
  }
  return target;
}

QuotaDecision QuotaEngine::Admit(const Caller& caller, std::string_view operation,
                                 std::string_view body) {
  QuotaDecision decision;
  if (!config_.enabled) return decision;
  std::optional<Target> target = Classify(caller, operation, body);
  if (!target || target->account_quota == nullptr) return decision;
  decision.at_s = NowSeconds();
  decision.quota = target->account_quota->id;
  QuotaBucket& account = BucketFor(caller.account_id, caller.region, *target->account_quota);
  if (!account.TryTake(decision.at_s)) {
    decision.throttled = true;
    decision.throttled_by = target->account_quota->id;
    return decision;
  }
  decision.charged[0] = &account;
  if (target->store_id.empty()) return decision;
  QuotaBucket& store =
      BucketFor("store:" + target->store_id, target->store_region, Quota(kQuotaCustomKeyStore));
  if (!store.TryTake(decision.at_s)) {
    account.Refund(decision.at_s);  // a refused request charges nothing
    decision.charged[0] = nullptr;
    decision.throttled = true;
    decision.throttled_by = kQuotaCustomKeyStore;
    return decision;
  }
  decision.charged[1] = &store;
  return decision;
}

void QuotaEngine::Settle(const QuotaDecision& decision, bool failed) {
  if (!failed || config_.count_failed_requests) return;
  for (QuotaBucket* bucket : decision.charged) {
    if (bucket != nullptr) bucket->Refund(decision.at_s);
  }
}

std::vector<QuotaEngine::UsageRow> QuotaEngine::Usage(std::string_view account,
                                                      std::string_view region) const {
  const std::int64_t now = NowSeconds();
  std::vector<UsageRow> rows;
  for (const QuotaDef& q : AllQuotas()) {
    if (q.id == kQuotaCustomKeyStore) continue;  // not shown in Service Quotas
    UsageRow row{std::string(q.id), std::string(q.name), std::string(region),
                 Value(q, account, region), 0, QuotaLimit::FromRate(Value(q, account, region)).window_s};
    if (const QuotaBucket* b = limiter_.Find(BucketKey(account, region, q.id))) {
      row.usage = b->Usage(now);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<QuotaEngine::BucketRow> QuotaEngine::Buckets() const {
  const std::int64_t now = NowSeconds();
  std::vector<BucketRow> rows;
  for (const auto& [key, bucket] : limiter_.Buckets()) {
    const std::size_t a = key.find('|');
    const std::size_t b = key.find('|', a + 1);
    rows.push_back({key.substr(0, a), key.substr(a + 1, b - a - 1), key.substr(b + 1),
                    bucket->Usage(now), bucket->limit().value});
  }
  return rows;
}

}  // namespace envelope::kms::server
