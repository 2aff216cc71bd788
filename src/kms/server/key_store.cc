#include "kms/server/key_store.h"

#include <nlohmann/json.hpp>

#include "core/random.h"
#include "crypto/aes_gcm.h"
#include "kms/server/sqlite_db.h"

namespace envelope::kms::server {
namespace {

constexpr std::string_view kCheckPlaintext = "envelope-kms master key check v1";

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS keys (
  account TEXT NOT NULL, region TEXT NOT NULL, key_id TEXT NOT NULL,
  creation_date REAL NOT NULL, description TEXT NOT NULL, key_usage TEXT NOT NULL,
  key_spec TEXT NOT NULL, origin TEXT NOT NULL, multi_region INTEGER NOT NULL,
  state TEXT NOT NULL, deletion_date REAL, pending_window_days INTEGER NOT NULL,
  rotation_enabled INTEGER NOT NULL, rotation_period_days INTEGER NOT NULL,
  next_rotation_date REAL, policy TEXT NOT NULL,
  PRIMARY KEY (account, region, key_id));
CREATE TABLE IF NOT EXISTS key_material (
  account TEXT NOT NULL, region TEXT NOT NULL, key_id TEXT NOT NULL, version INTEGER NOT NULL,
  created REAL NOT NULL, rotation_type TEXT NOT NULL, sealed BLOB NOT NULL,
  PRIMARY KEY (account, region, key_id, version));
CREATE TABLE IF NOT EXISTS aliases (
  account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL, key_id TEXT NOT NULL,
  creation_date REAL NOT NULL, last_updated_date REAL NOT NULL,
  PRIMARY KEY (account, region, name));
CREATE TABLE IF NOT EXISTS tags (
  account TEXT NOT NULL, region TEXT NOT NULL, key_id TEXT NOT NULL,
  tag_key TEXT NOT NULL, tag_value TEXT NOT NULL,
  PRIMARY KEY (account, region, key_id, tag_key));
CREATE TABLE IF NOT EXISTS grants (
  grant_id TEXT PRIMARY KEY, grant_token TEXT NOT NULL, account TEXT NOT NULL,
  region TEXT NOT NULL, key_id TEXT NOT NULL, name TEXT NOT NULL, grantee TEXT NOT NULL,
  retiring TEXT NOT NULL, issuing_account TEXT NOT NULL, operations TEXT NOT NULL,
  constraints TEXT NOT NULL, creation_date REAL NOT NULL);
)sql";

std::string KeyName(const std::string& a, const std::string& r, const std::string& k) {
  return a + "/" + r + "/" + k;
}

// Length-prefixed, so no two (account, region, key, version) tuples share an AAD.
Bytes MaterialAad(const std::string& a, const std::string& r, const std::string& k,
                  std::uint32_t version) {
  Bytes aad;
  ByteWriter w(aad);
  for (const std::string* s : {&a, &r, &k}) w.U16Prefixed(AsBytes(*s));
  w.U32(version);
  return aad;
}

Result<Bytes> Seal(ByteView key, ByteView aad, ByteView plaintext) {
  Bytes out(crypto::kGcmIvBytes + plaintext.size() + crypto::kGcmTagBytes);
  ENVELOPE_RETURN_IF_ERROR(SystemRandom().Fill(std::span(out).first(crypto::kGcmIvBytes)));
  ENVELOPE_ASSIGN_OR_RETURN(crypto::AesGcm gcm, crypto::AesGcm::Create(key));
  std::uint8_t* ct = out.data() + crypto::kGcmIvBytes;
  ENVELOPE_RETURN_IF_ERROR(gcm.Encrypt(ByteView(out).first(crypto::kGcmIvBytes), aad, plaintext,
                                       ct, ct + plaintext.size()));
  return out;
}

Result<SecretBytes> Unseal(ByteView key, ByteView aad, ByteView sealed) {
  if (sealed.size() < crypto::kGcmIvBytes + crypto::kGcmTagBytes) {
    return Corrupt("key store: sealed value truncated");
  }
  std::size_t n = sealed.size() - crypto::kGcmIvBytes - crypto::kGcmTagBytes;
  ENVELOPE_ASSIGN_OR_RETURN(crypto::AesGcm gcm, crypto::AesGcm::Create(key));
  SecretBytes out(n);
  ENVELOPE_RETURN_IF_ERROR(gcm.Decrypt(sealed.first(crypto::kGcmIvBytes), aad,
                                       sealed.subspan(crypto::kGcmIvBytes, n), sealed.last(16),
                                       out.data()));
  return out;
}

}  // namespace

KeyStore::KeyStore(std::unique_ptr<SqliteDb> db, SecretBytes master_key)
    : db_(std::move(db)), master_key_(std::move(master_key)) {}

KeyStore::~KeyStore() = default;

Result<std::unique_ptr<KeyStore>> KeyStore::Open(const std::string& db_path,
                                                 SecretBytes master_key) {
  if (master_key.size() != 32) return InvalidArgument("key store: master key must be 32 bytes");
  ENVELOPE_ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> db, SqliteDb::Open(db_path));
  std::unique_ptr<KeyStore> store(new KeyStore(std::move(db), std::move(master_key)));
  ENVELOPE_RETURN_IF_ERROR(store->db_->Exec("PRAGMA journal_mode=WAL"));
  ENVELOPE_RETURN_IF_ERROR(store->db_->Exec("PRAGMA synchronous=FULL"));
  ENVELOPE_RETURN_IF_ERROR(store->db_->Exec("PRAGMA foreign_keys=ON"));
  ENVELOPE_RETURN_IF_ERROR(store->CreateSchema());
  ENVELOPE_RETURN_IF_ERROR(store->CheckMasterKey());
  ENVELOPE_RETURN_IF_ERROR(store->LoadAll());
  ENVELOPE_ASSIGN_OR_RETURN(store->data_version_, store->DataVersion());
  return store;
}

Status KeyStore::CreateSchema() {
  return InTransaction(*db_, [&]() -> Status {
    ENVELOPE_RETURN_IF_ERROR(db_->Exec(kSchema));
    // Migration 1: keys.custom_key_store_id (databases made before custom key stores lack it;
    // new ones get it the same way, so there is one path).
    if (!db_->Prepare("SELECT custom_key_store_id FROM keys LIMIT 0").ok()) {
      ENVELOPE_RETURN_IF_ERROR(db_->Exec(
          "ALTER TABLE keys ADD COLUMN custom_key_store_id TEXT NOT NULL DEFAULT ''"));
    }
    return OkStatus();
  });
}

// The first open stores a value sealed under the master key; later opens must unseal it, so a
// wrong master key fails at startup instead of at the first Decrypt.
Status KeyStore::CheckMasterKey() {
  Bytes aad = ToBytes("meta/master_check");
  ENVELOPE_ASSIGN_OR_RETURN(auto q, db_->Prepare("SELECT value FROM meta WHERE name='master_check'"));
  ENVELOPE_ASSIGN_OR_RETURN(bool found, q.Step());
  if (found) {
    auto check = Unseal(master_key_.span(), aad, q.ColBlob(0));
    if (!check.ok() || !check->Equals(AsBytes(kCheckPlaintext))) {
      return InvalidArgument("key store: the master key does not match this data directory");
    }
    return OkStatus();
  }
  ENVELOPE_ASSIGN_OR_RETURN(Bytes sealed, Seal(master_key_.span(), aad, AsBytes(kCheckPlaintext)));
  ENVELOPE_ASSIGN_OR_RETURN(auto ins,
                            db_->Prepare("INSERT INTO meta(name, value) VALUES('master_check', ?)"));
  return ins.Blob(sealed).Run();
}

Result<Bytes> KeyStore::SealMaterial(const KeyRecord& key, const KeyMaterial& m) {
  return Seal(master_key_.span(), MaterialAad(key.account, key.region, key.key_id, m.version),
              m.secret.span());
}

Result<SecretBytes> KeyStore::OpenMaterial(const std::string& account, const std::string& region,
                                           const std::string& key_id, std::uint32_t version,
                                           ByteView sealed) {
  auto out = Unseal(master_key_.span(), MaterialAad(account, region, key_id, version), sealed);
  if (!out.ok()) return Internal("key store: key material of " + key_id + " does not decrypt");
  return out;
}

KeyPtr KeyStore::GetKey(const std::string& account, const std::string& region,
                        const std::string& key_id) const {
  RefreshIfChangedElsewhere();
  std::shared_lock lock(map_mu_);
  auto it = keys_.find(KeyName(account, region, key_id));
  return it == keys_.end() ? nullptr : it->second;
}

std::vector<KeyPtr> KeyStore::ListKeys(const std::string& account,
                                       const std::string& region) const {
  RefreshIfChangedElsewhere();
  std::string prefix = account + "/" + region + "/";
  std::shared_lock lock(map_mu_);
  std::vector<KeyPtr> out;
  for (auto it = keys_.lower_bound(prefix); it != keys_.end() && it->first.starts_with(prefix);
       ++it) {
    out.push_back(it->second);
  }
  return out;
}

AliasPtr KeyStore::GetAlias(const std::string& account, const std::string& region,
                            const std::string& name) const {
  RefreshIfChangedElsewhere();
  std::shared_lock lock(map_mu_);
  auto it = aliases_.find(KeyName(account, region, name));
  return it == aliases_.end() ? nullptr : it->second;
}

std::vector<AliasPtr> KeyStore::ListAliases(const std::string& account,
                                            const std::string& region) const {
  RefreshIfChangedElsewhere();
  std::string prefix = account + "/" + region + "/";
  std::shared_lock lock(map_mu_);
  std::vector<AliasPtr> out;
  for (auto it = aliases_.lower_bound(prefix);
       it != aliases_.end() && it->first.starts_with(prefix); ++it) {
    out.push_back(it->second);
  }
  return out;
}

GrantPtr KeyStore::GetGrant(const std::string& grant_id) const {
  RefreshIfChangedElsewhere();
  std::shared_lock lock(map_mu_);
  auto it = grants_.find(grant_id);
  return it == grants_.end() ? nullptr : it->second;
}

std::vector<GrantPtr> KeyStore::ListGrants(const std::string& account, const std::string& region,
                                           const std::string& key_id) const {
  RefreshIfChangedElsewhere();
  std::shared_lock lock(map_mu_);
  std::vector<GrantPtr> out;
  for (const auto& [id, g] : grants_) {
    if (g->account == account && g->region == region && g->key_id == key_id) out.push_back(g);
  }
  return out;
}

Status KeyStore::PutKey(const KeyRecord& key) {
  std::lock_guard write(write_mu_);
  Status s = InTransaction(*db_, [&]() -> Status {
    ENVELOPE_ASSIGN_OR_RETURN(auto k, db_->Prepare(
        "INSERT OR REPLACE INTO keys VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    k.Text(key.account).Text(key.region).Text(key.key_id).Real(key.creation_date)
        .Text(key.description).Text(key.key_usage).Text(key.key_spec).Text(key.origin)
        .Int(key.multi_region).Text(key.state).OptReal(key.deletion_date)
        .Int(key.pending_window_days).Int(key.rotation_enabled).Int(key.rotation_period_days)
        .OptReal(key.next_rotation_date).Text(key.policy).Text(key.custom_key_store_id);
    ENVELOPE_RETURN_IF_ERROR(k.Run());
    for (const auto& m : key.materials) {
      ENVELOPE_ASSIGN_OR_RETURN(Bytes sealed, SealMaterial(key, *m));
      ENVELOPE_ASSIGN_OR_RETURN(auto ins, db_->Prepare(
          "INSERT OR IGNORE INTO key_material VALUES(?,?,?,?,?,?,?)"));
      ENVELOPE_RETURN_IF_ERROR(ins.Text(key.account).Text(key.region).Text(key.key_id)
                                   .Int(m->version).Real(m->created).Text(m->rotation_type)
                                   .Blob(sealed).Run());
    }
    ENVELOPE_ASSIGN_OR_RETURN(auto del, db_->Prepare(
        "DELETE FROM tags WHERE account=? AND region=? AND key_id=?"));
    ENVELOPE_RETURN_IF_ERROR(del.Text(key.account).Text(key.region).Text(key.key_id).Run());
    for (const auto& [tk, tv] : key.tags) {
      ENVELOPE_ASSIGN_OR_RETURN(auto t, db_->Prepare("INSERT INTO tags VALUES(?,?,?,?,?)"));
      ENVELOPE_RETURN_IF_ERROR(
          t.Text(key.account).Text(key.region).Text(key.key_id).Text(tk).Text(tv).Run());
    }
    return OkStatus();
  });
  ENVELOPE_RETURN_IF_ERROR(s);
  auto copy = std::make_shared<KeyRecord>(key);
  std::unique_lock lock(map_mu_);
  keys_[KeyName(key.account, key.region, key.key_id)] = std::move(copy);
  return OkStatus();
}

Status KeyStore::DeleteKey(const std::string& account, const std::string& region,
                           const std::string& key_id) {
  std::lock_guard write(write_mu_);
  ENVELOPE_RETURN_IF_ERROR(InTransaction(*db_, [&]() -> Status {
    for (const char* table : {"keys", "key_material", "tags", "aliases", "grants"}) {
      ENVELOPE_ASSIGN_OR_RETURN(auto del, db_->Prepare(std::string("DELETE FROM ") + table +
                                                       " WHERE account=? AND region=? AND key_id=?"));
      ENVELOPE_RETURN_IF_ERROR(del.Text(account).Text(region).Text(key_id).Run());
    }
    return OkStatus();
  }));
  std::unique_lock lock(map_mu_);
  keys_.erase(KeyName(account, region, key_id));
  std::erase_if(aliases_, [&](const auto& kv) {
    return kv.second->account == account && kv.second->region == region &&
           kv.second->key_id == key_id;
  });
  std::erase_if(grants_, [&](const auto& kv) {
    return kv.second->account == account && kv.second->region == region &&
           kv.second->key_id == key_id;
  });
  return OkStatus();
}

Status KeyStore::PutAlias(const AliasRecord& a) {
  std::lock_guard write(write_mu_);
  ENVELOPE_ASSIGN_OR_RETURN(auto q, db_->Prepare("INSERT OR REPLACE INTO aliases VALUES(?,?,?,?,?,?)"));
  ENVELOPE_RETURN_IF_ERROR(q.Text(a.account).Text(a.region).Text(a.name).Text(a.key_id)
                               .Real(a.creation_date).Real(a.last_updated_date).Run());
  std::unique_lock lock(map_mu_);
  aliases_[KeyName(a.account, a.region, a.name)] = std::make_shared<AliasRecord>(a);
  return OkStatus();
}

Status KeyStore::DeleteAlias(const std::string& account, const std::string& region,
                             const std::string& name) {
  std::lock_guard write(write_mu_);
  ENVELOPE_ASSIGN_OR_RETURN(auto q, db_->Prepare(
      "DELETE FROM aliases WHERE account=? AND region=? AND name=?"));
  ENVELOPE_RETURN_IF_ERROR(q.Text(account).Text(region).Text(name).Run());
  std::unique_lock lock(map_mu_);
  aliases_.erase(KeyName(account, region, name));
  return OkStatus();
}

Status KeyStore::PutGrant(const GrantRecord& g) {
  std::lock_guard write(write_mu_);
  nlohmann::json constraints = nlohmann::json::object();
  if (!g.context_equals.empty()) constraints["EncryptionContextEquals"] = g.context_equals;
  if (!g.context_subset.empty()) constraints["EncryptionContextSubset"] = g.context_subset;
  ENVELOPE_ASSIGN_OR_RETURN(auto q, db_->Prepare(
      "INSERT OR REPLACE INTO grants VALUES(?,?,?,?,?,?,?,?,?,?,?,?)"));
  ENVELOPE_RETURN_IF_ERROR(q.Text(g.grant_id).Text(g.grant_token).Text(g.account).Text(g.region)
                               .Text(g.key_id).Text(g.name).Text(g.grantee_principal)
                               .Text(g.retiring_principal).Text(g.issuing_account)
                               .Text(nlohmann::json(g.operations).dump()).Text(constraints.dump())
                               .Real(g.creation_date).Run());
  std::unique_lock lock(map_mu_);
  grants_[g.grant_id] = std::make_shared<GrantRecord>(g);
  return OkStatus();
}

Status KeyStore::DeleteGrant(const std::string& grant_id) {
  std::lock_guard write(write_mu_);
  ENVELOPE_ASSIGN_OR_RETURN(auto q, db_->Prepare("DELETE FROM grants WHERE grant_id=?"));
  ENVELOPE_RETURN_IF_ERROR(q.Text(grant_id).Run());
  std::unique_lock lock(map_mu_);
  grants_.erase(grant_id);
  return OkStatus();
}

}  // namespace envelope::kms::server
