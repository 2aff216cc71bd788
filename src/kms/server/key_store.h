#pragma once
// KeyStore: the local KMS's durable state in SQLite (WAL journal, synchronous=FULL, so a write
// that returned OK survives kill -9 and power loss), with a full in-memory copy for reads.
//
// Tables: meta, keys (per account and region), key_material (one row per version; rotation
// appends), aliases, tags, grants. The key policy is a column of keys. Key material is stored
// sealed with AES-256-GCM under the master key, bound (AAD) to account, region, key id and
// version, so rows cannot be swapped between keys.
//
// Thread-safe. Reads return immutable snapshots and never block on SQLite; writes are serialised.
// Callers that read-modify-write must serialise those sequences themselves (KmsService does).
//
// Several processes may open one database (`envelope kms serve` and the embedded store of
// `envelope encrypt` on the same data directory): at most every kRefreshInterval, the first read
// asks SQLite whether another connection has committed since (PRAGMA data_version) and, if so,
// reloads the in-memory copy, so keys and aliases made by the other process appear within that
// interval. Concurrent read-modify-writes from two processes are not coordinated: the last
// write of a record wins.
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "envelope/result.h"
#include "envelope/secret_bytes.h"
#include "core/bytes.h"
#include "kms/server/key_model.h"

namespace envelope::kms::server {

class SqliteDb;

using KeyPtr = std::shared_ptr<const KeyRecord>;
using AliasPtr = std::shared_ptr<const AliasRecord>;
using GrantPtr = std::shared_ptr<const GrantRecord>;

class KeyStore {
 public:
  // Opens or creates the database at `db_path` and loads it. Errors: kInvalidArgument when
  // `master_key` is not 32 bytes or is not the key this database was created with; kInternal for
  // database failures or undecryptable rows.
  static Result<std::unique_ptr<KeyStore>> Open(const std::string& db_path, SecretBytes master_key);
  ~KeyStore();

  static constexpr std::chrono::milliseconds kRefreshInterval{200};

  // nullptr when absent.
  KeyPtr GetKey(const std::string& account, const std::string& region,
                const std::string& key_id) const;
  // Sorted by key id.
  std::vector<KeyPtr> ListKeys(const std::string& account, const std::string& region) const;
  AliasPtr GetAlias(const std::string& account, const std::string& region,
                    const std::string& name) const;
  // Sorted by alias name.
  std::vector<AliasPtr> ListAliases(const std::string& account, const std::string& region) const;
  GrantPtr GetGrant(const std::string& grant_id) const;
  // Grants on one key, sorted by grant id.
  std::vector<GrantPtr> ListGrants(const std::string& account, const std::string& region,
                                   const std::string& key_id) const;

  // Inserts or replaces a key: its metadata row, its tags, and any material versions not yet
  // stored (material rows are immutable). Durable when OK; kInternal otherwise.
  Status PutKey(const KeyRecord& key);
  // Removes a key with its material, tags, aliases and grants.
  Status DeleteKey(const std::string& account, const std::string& region,
                   const std::string& key_id);
  Status PutAlias(const AliasRecord& alias);
  Status DeleteAlias(const std::string& account, const std::string& region,
                     const std::string& name);
  Status PutGrant(const GrantRecord& grant);
  Status DeleteGrant(const std::string& grant_id);

 private:
  KeyStore(std::unique_ptr<SqliteDb> db, SecretBytes master_key);
  Status CreateSchema();
  Status CheckMasterKey();
  Status LoadAll();
  // Called by every read: reloads when another connection has committed (see above). A failed
  // reload keeps the previous copy and says so in the log.
  void RefreshIfChangedElsewhere() const;
  Status Reload();
  Result<std::int64_t> DataVersion();
  Status LoadKeys();
  Status LoadMaterials();
  Status LoadAliasesAndGrants();
  Result<Bytes> SealMaterial(const KeyRecord& key, const KeyMaterial& m);
  Result<SecretBytes> OpenMaterial(const std::string& account, const std::string& region,
                                   const std::string& key_id, std::uint32_t version,
                                   ByteView sealed);

  std::unique_ptr<SqliteDb> db_;
  SecretBytes master_key_;
  std::mutex write_mu_;  // serialises SQLite use
  mutable std::shared_mutex map_mu_;
  std::map<std::string, KeyPtr> keys_;        // "account/region/key_id"
  std::map<std::string, AliasPtr> aliases_;   // "account/region/alias/name"
  std::map<std::string, GrantPtr> grants_;    // grant id
  mutable std::atomic<std::int64_t> next_refresh_ns_{0};  // steady clock
  std::int64_t data_version_ = 0;                         // guarded by write_mu_
};

}  // namespace envelope::kms::server
