// KeyStore: loading the database into memory at Open, and again when another process changed it.
#include "kms/server/key_store.h"

#include <chrono>
#include <nlohmann/json.hpp>

#include "core/log.h"
#include "kms/server/sqlite_db.h"

namespace envelope::kms::server {
namespace {

std::string KeyName(const std::string& a, const std::string& r, const std::string& k) {
  return a + "/" + r + "/" + k;
}

std::map<std::string, std::string> ContextFromJson(const nlohmann::json& j) {
  std::map<std::string, std::string> m;
  if (!j.is_object()) return m;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.value().is_string()) m[it.key()] = it.value().get<std::string>();
  }
  return m;
}

}  // namespace

Status KeyStore::LoadAll() {
  ENVELOPE_RETURN_IF_ERROR(LoadKeys());
  ENVELOPE_RETURN_IF_ERROR(LoadMaterials());
  return LoadAliasesAndGrants();
}

Status KeyStore::LoadKeys() {
  ENVELOPE_ASSIGN_OR_RETURN(auto q, db_->Prepare(
      "SELECT account, region, key_id, creation_date, description, key_usage, key_spec, origin,"
      " multi_region, state, deletion_date, pending_window_days, rotation_enabled,"
      " rotation_period_days, next_rotation_date, policy, custom_key_store_id FROM keys"));
  for (;;) {
    ENVELOPE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    auto k = std::make_shared<KeyRecord>();
    k->account = q.ColText(0);
    k->region = q.ColText(1);
    k->key_id = q.ColText(2);
    k->creation_date = q.ColReal(3);
    k->description = q.ColText(4);
    k->key_usage = q.ColText(5);
    k->key_spec = q.ColText(6);
    k->origin = q.ColText(7);
    k->multi_region = q.ColInt(8) != 0;
    k->state = q.ColText(9);
    k->deletion_date = q.ColOptReal(10);
    k->pending_window_days = static_cast<int>(q.ColInt(11));
    k->rotation_enabled = q.ColInt(12) != 0;
    k->rotation_period_days = static_cast<int>(q.ColInt(13));
    k->next_rotation_date = q.ColOptReal(14);
    k->policy = q.ColText(15);
    k->custom_key_store_id = q.ColText(16);
    keys_[KeyName(k->account, k->region, k->key_id)] = std::move(k);
  }
  return OkStatus();
}

// Attaches material versions (ascending) and tags to the loaded keys. The records were created
// non-const by LoadKeys and nobody else can see them yet (Open has not returned, or Reload holds
// the map lock), so the const_casts below are safe.
Status KeyStore::LoadMaterials() {
  ENVELOPE_ASSIGN_OR_RETURN(auto q, db_->Prepare(
      "SELECT account, region, key_id, version, created, rotation_type, sealed FROM key_material"
      " ORDER BY account, region, key_id, version"));
  for (;;) {
    ENVELOPE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    auto it = keys_.find(KeyName(q.ColText(0), q.ColText(1), q.ColText(2)));
    if (it == keys_.end()) continue;  // orphan row: ignored
    auto& key = const_cast<KeyRecord&>(*it->second);
    auto m = std::make_shared<KeyMaterial>();
    m->version = static_cast<std::uint32_t>(q.ColInt(3));
    m->created = q.ColReal(4);
    m->rotation_type = q.ColText(5);
    ENVELOPE_ASSIGN_OR_RETURN(m->secret, OpenMaterial(key.account, key.region, key.key_id,
                                                      m->version, q.ColBlob(6)));
    key.materials.push_back(std::move(m));
  }
  for (const auto& [name, key] : keys_) {
    if (key->materials.empty()) return Internal("key store: key " + name + " has no material");
  }
  ENVELOPE_ASSIGN_OR_RETURN(auto t, db_->Prepare(
      "SELECT account, region, key_id, tag_key, tag_value FROM tags"));
  for (;;) {
    ENVELOPE_ASSIGN_OR_RETURN(bool row, t.Step());
    if (!row) break;
    auto it = keys_.find(KeyName(t.ColText(0), t.ColText(1), t.ColText(2)));
    if (it != keys_.end()) const_cast<KeyRecord&>(*it->second).tags[t.ColText(3)] = t.ColText(4);
  }
  return OkStatus();
}

Status KeyStore::LoadAliasesAndGrants() {
  ENVELOPE_ASSIGN_OR_RETURN(auto a, db_->Prepare(
      "SELECT account, region, name, key_id, creation_date, last_updated_date FROM aliases"));
  for (;;) {
    ENVELOPE_ASSIGN_OR_RETURN(bool row, a.Step());
    if (!row) break;
    auto r = std::make_shared<AliasRecord>(AliasRecord{a.ColText(0), a.ColText(1), a.ColText(2),
                                                       a.ColText(3), a.ColReal(4), a.ColReal(5)});
    aliases_[KeyName(r->account, r->region, r->name)] = std::move(r);
  }
  ENVELOPE_ASSIGN_OR_RETURN(auto g, db_->Prepare(
      "SELECT grant_id, grant_token, account, region, key_id, name, grantee, retiring,"
      " issuing_account, operations, constraints, creation_date FROM grants"));
  for (;;) {
    ENVELOPE_ASSIGN_OR_RETURN(bool row, g.Step());
    if (!row) break;
    auto r = std::make_shared<GrantRecord>();
    r->grant_id = g.ColText(0);
    r->grant_token = g.ColText(1);
    r->account = g.ColText(2);
    r->region = g.ColText(3);
    r->key_id = g.ColText(4);
    r->name = g.ColText(5);
    r->grantee_principal = g.ColText(6);
    r->retiring_principal = g.ColText(7);
    r->issuing_account = g.ColText(8);
    auto ops = nlohmann::json::parse(g.ColText(9), nullptr, /*allow_exceptions=*/false);
    if (ops.is_array()) {
      for (const auto& op : ops) {
        if (op.is_string()) r->operations.push_back(op.get<std::string>());
      }
    }
    auto c = nlohmann::json::parse(g.ColText(10), nullptr, false);
    if (c.is_object()) {
      if (c.contains("EncryptionContextEquals")) r->context_equals = ContextFromJson(c["EncryptionContextEquals"]);
      if (c.contains("EncryptionContextSubset")) r->context_subset = ContextFromJson(c["EncryptionContextSubset"]);
    }
    r->creation_date = g.ColReal(11);
    grants_[r->grant_id] = std::move(r);
  }
  return OkStatus();
}

Result<std::int64_t> KeyStore::DataVersion() {
  ENVELOPE_ASSIGN_OR_RETURN(auto q, db_->Prepare("PRAGMA data_version"));
  ENVELOPE_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return Internal("key store: PRAGMA data_version returned nothing");
  return q.ColInt(0);
}

void KeyStore::RefreshIfChangedElsewhere() const {
  const std::int64_t now = std::chrono::steady_clock::now().time_since_epoch().count();
  if (now < next_refresh_ns_.load(std::memory_order_relaxed)) return;
  // The store is never created const (Open makes it), so changing it from a read is defined.
  auto& self = const_cast<KeyStore&>(*this);
  // A busy writer means this process is changing the store right now; look again next time.
  std::unique_lock write(self.write_mu_, std::try_to_lock);
  if (!write.owns_lock()) return;
  next_refresh_ns_.store(now + std::chrono::nanoseconds(kRefreshInterval).count(),
                         std::memory_order_relaxed);
  Result<std::int64_t> version = self.DataVersion();
  if (!version.ok() || *version == data_version_) return;
  if (Status s = self.Reload(); !s.ok()) {
    Log(LogLevel::kWarn, "key store: keeping the loaded keys; reload failed: " + s.message());
    return;
  }
  self.data_version_ = *version;
}

// Caller holds write_mu_. Readers wait for the reload (rare: another process wrote).
Status KeyStore::Reload() {
  std::unique_lock lock(map_mu_);
  auto keys = std::move(keys_);
  auto aliases = std::move(aliases_);
  auto grants = std::move(grants_);
  keys_.clear();
  aliases_.clear();
  grants_.clear();
  Status s = LoadAll();
  if (!s.ok()) {
    keys_ = std::move(keys);
    aliases_ = std::move(aliases);
    grants_ = std::move(grants);
  }
  return s;
}

}  // namespace envelope::kms::server
