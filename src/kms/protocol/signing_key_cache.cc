#include "kms/protocol/signing_key_cache.h"

#include <algorithm>

namespace envelope::kms::protocol {
namespace {

// "AKID\nDATE\nREGION\nSERVICE": '\n' cannot occur in any part (parsed credentials are tokens),
// so distinct tuples give distinct strings.
std::string CacheKey(std::string_view access_key_id, const CredentialScope& scope) {
  std::string key;
  key.reserve(access_key_id.size() + scope.date.size() + scope.region.size() +
              scope.service.size() + 3);
  key.append(access_key_id).append("\n").append(scope.date).append("\n");
  key.append(scope.region).append("\n").append(scope.service);
  return key;
}

}  // namespace

SigningKeyCache::SigningKeyCache(std::size_t capacity)
    : capacity_(std::max<std::size_t>(1, capacity)) {}

SecretBytes SigningKeyCache::Get(std::string_view access_key_id,
                                 const SecretBytes& secret_access_key,
                                 const CredentialScope& scope) {
  std::string key = CacheKey(access_key_id, scope);
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it != entries_.end() && it->second.secret.Equals(secret_access_key.span())) {
      return it->second.signing_key.Clone();
    }
  }
  // Derive outside the lock; two threads missing at once both derive the same key.
  SecretBytes signing_key = DeriveSigningKey(secret_access_key, scope);
  std::lock_guard lock(mu_);
  ++derivations_;
  if (entries_.size() >= capacity_ && entries_.find(key) == entries_.end()) entries_.clear();
  entries_.insert_or_assign(std::move(key),
                            Entry{secret_access_key.Clone(), signing_key.Clone()});
  return signing_key;
}

std::size_t SigningKeyCache::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

std::size_t SigningKeyCache::derivations() const {
  std::lock_guard lock(mu_);
  return derivations_;
}

}  // namespace envelope::kms::protocol
