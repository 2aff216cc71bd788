#pragma once
// Accounts and their access keys, for SigV4 authentication in the local KMS.
//
// Config file format (Spec: docs/kms-server.md#accounts):
//   {"accounts": [{"id": "111122223333",
//                  "access_keys": [{"access_key_id": "AKIA...", "secret_access_key": "...",
//                                   "user": "alice"}]}]}     // "user" optional
// Other top-level members are ignored (they belong to other sections, e.g. quotas).
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/random.h"
#include "envelope/result.h"
#include "envelope/secret_bytes.h"

namespace envelope::kms::server {

inline constexpr std::string_view kDefaultAccountId = "111122223333";

struct AccessKey {
  std::string access_key_id;
  SecretBytes secret_access_key;
  std::string account_id;
  std::string user;  // empty: the account's root
  // arn:aws:iam::ACCOUNT:root, or arn:aws:iam::ACCOUNT:user/USER.
  std::string PrincipalArn() const;
};

// Immutable after construction; safe to read from many threads.
class AccountRegistry {
 public:
  AccountRegistry() = default;
  AccountRegistry(AccountRegistry&&) = default;
  AccountRegistry& operator=(AccountRegistry&&) = default;

  // Strict: 12-digit ids, non-empty key ids of [A-Za-z0-9_-], non-empty secrets, no key id
  // twice. Errors: kInvalidArgument naming the offending member.
  static Result<AccountRegistry> FromJson(std::string_view json);
  // Errors: kNotFound (no such file), kInvalidArgument ("<path>: <problem>").
  static Result<AccountRegistry> FromFile(const std::string& path);

  Status Add(AccessKey key);
  // nullptr when the key id is unknown.
  const AccessKey* Find(std::string_view access_key_id) const;
  bool empty() const { return keys_.empty(); }
  std::size_t size() const { return keys_.size(); }
  std::string ToJson() const;  // the config format above (contains secrets: write it 0600)

 private:
  std::unordered_map<std::string, std::unique_ptr<AccessKey>> keys_;
};

struct AccountSetup {
  AccountRegistry registry;
  bool created = false;  // a default account was made just now
  std::string credentials_file;  // DATA_DIR/credentials when the default account is used
};

// The accounts to serve: from `config_file` when given; otherwise from DATA_DIR/accounts.json,
// created on first use with account 111122223333 and a random access key, together with
// DATA_DIR/credentials in the AWS shared-credentials format (both mode 0600).
// Precondition: data_dir exists. Errors: kInvalidArgument (bad config), kInternal (I/O).
Result<AccountSetup> LoadOrCreateAccounts(const std::string& config_file,
                                          const std::string& data_dir, Random& random);

}  // namespace envelope::kms::server
