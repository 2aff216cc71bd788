#pragma once
// MaterialsCache: the thread-safe LRU cache behind the caching CMM. Private to src/materials.
//
// Entries are keyed by the caching CMM's cache ids (64-byte SHA-512 digests as strings). Each
// holds encryption or decryption materials, an expiry time fixed when it was stored, and, for
// encryption, the usage (messages and bytes) it has protected so far.
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/clock.h"
#include "envelope/keyrings.h"
#include "envelope/materials.h"

namespace envelope {

EncryptionMaterials CloneMaterials(const EncryptionMaterials& materials);
DecryptionMaterials CloneMaterials(const DecryptionMaterials& materials);

class MaterialsCache {
 public:
  struct Usage {
    std::uint64_t messages = 0;
    std::uint64_t bytes = 0;
  };

  MaterialsCache(std::size_t capacity, const Clock& clock) : capacity_(capacity), clock_(clock) {}

  const Clock& clock() const { return clock_; }

  // Counts one more message of `bytes` against the entry under `id` and returns a copy of its
  // materials, when the entry exists, has not expired, holds materials of `suite` and stays
  // within both limits after the count. Otherwise removes any such entry and returns nullopt.
  std::optional<EncryptionMaterials> UseEncrypt(const std::string& id, AlgorithmSuite suite,
                                                std::uint64_t bytes, std::uint64_t max_messages,
                                                std::uint64_t max_bytes);
  // A copy of the unexpired decryption materials under `id` (an expired entry is removed).
  std::optional<DecryptionMaterials> GetDecrypt(const std::string& id);

  // Store (replacing any entry under `id`), evicting the least recently used beyond capacity.
  void PutEncrypt(const std::string& id, EncryptionMaterials materials, Usage usage,
                  Clock::TimePoint expiry);
  void PutDecrypt(const std::string& id, DecryptionMaterials materials, Clock::TimePoint expiry);

  std::size_t size() const;

 private:
  struct Entry {
    std::string id;
    std::optional<EncryptionMaterials> encryption;
    std::optional<DecryptionMaterials> decryption;
    Usage usage;
    Clock::TimePoint expiry;
  };
  using List = std::list<Entry>;

  // The live entry under `id`, moved to the front; nullptr (and the entry removed) when it is
  // missing or expired. Requires mutex_.
  Entry* FindLocked(const std::string& id);
  void EraseLocked(List::iterator it);
  void InsertLocked(Entry entry);

  const std::size_t capacity_;
  const Clock& clock_;
  mutable std::mutex mutex_;
  List entries_;  // most recently used first
  std::unordered_map<std::string, List::iterator> index_;
};

}  // namespace envelope
