#pragma once
// A bounded, thread-safe cache of derived SigV4 signing keys. Deriving a signing key takes four
// chained HMAC-SHA256 computations, while a given access key signs with the same scope (date,
// region, service) all day, so a server verifying many requests derives each key once.
//
// Entries are keyed by (access key id, date, region, service) and remember the secret they were
// derived from: a lookup with a different secret (the access key's secret changed) derives again
// and replaces the entry. Keys and secrets are held in SecretBytes only, and the secret check is
// a constant-time comparison. When full, the cache empties itself (scopes change daily, so a
// full cache is mostly stale, and the bound holds against callers inventing scopes).
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "envelope/secret_bytes.h"
#include "kms/protocol/sigv4.h"

namespace envelope::kms::protocol {

class SigningKeyCache {
 public:
  explicit SigningKeyCache(std::size_t capacity = 1024);
  SigningKeyCache(const SigningKeyCache&) = delete;
  SigningKeyCache& operator=(const SigningKeyCache&) = delete;

  // DeriveSigningKey(secret_access_key, scope), from the cache when possible.
  SecretBytes Get(std::string_view access_key_id, const SecretBytes& secret_access_key,
                  const CredentialScope& scope);

  std::size_t size() const;
  std::size_t derivations() const;  // how many times Get had to derive (for tests)

 private:
  struct Entry {
    SecretBytes secret;       // what `signing_key` was derived from
    SecretBytes signing_key;
  };

  const std::size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;  // guarded by mu_
  std::size_t derivations_ = 0;                     // guarded by mu_
};

}  // namespace envelope::kms::protocol
