#include "materials/materials_cache.h"

#include <utility>

namespace envelope {

EncryptionMaterials CloneMaterials(const EncryptionMaterials& materials) {
  EncryptionMaterials copy;
  copy.suite = materials.suite;
  copy.encryption_context = materials.encryption_context;
  copy.required_encryption_context_keys = materials.required_encryption_context_keys;
  copy.data_key = materials.data_key.Clone();
  copy.encrypted_data_keys = materials.encrypted_data_keys;
  copy.signing_key = materials.signing_key.Clone();
  return copy;
}

DecryptionMaterials CloneMaterials(const DecryptionMaterials& materials) {
  DecryptionMaterials copy;
  copy.suite = materials.suite;
  copy.encryption_context = materials.encryption_context;
  copy.required_encryption_context_keys = materials.required_encryption_context_keys;
  copy.data_key = materials.data_key.Clone();
  copy.verification_key = materials.verification_key;
  return copy;
}

std::shared_ptr<MaterialsCache> MakeMaterialsCache(std::size_t capacity, const Clock* clock) {
  return std::make_shared<MaterialsCache>(capacity, clock ? *clock : RealClock());
}

MaterialsCache::Entry* MaterialsCache::FindLocked(const std::string& id) {
  auto it = index_.find(id);
  if (it == index_.end()) {
    return nullptr;
  }
  if (clock_.Now() >= it->second->expiry) {
    EraseLocked(it->second);
    return nullptr;
  }
  entries_.splice(entries_.begin(), entries_, it->second);
  return &entries_.front();
}

void MaterialsCache::EraseLocked(List::iterator it) {
  index_.erase(it->id);
  entries_.erase(it);
}

void MaterialsCache::InsertLocked(Entry entry) {
  if (auto it = index_.find(entry.id); it != index_.end()) {
    EraseLocked(it->second);
  }
  entries_.push_front(std::move(entry));
  index_[entries_.front().id] = entries_.begin();
  while (entries_.size() > capacity_) {
    EraseLocked(std::prev(entries_.end()));
  }
}

std::optional<EncryptionMaterials> MaterialsCache::UseEncrypt(const std::string& id,
                                                              AlgorithmSuite suite,
                                                              std::uint64_t bytes,
                                                              std::uint64_t max_messages,
                                                              std::uint64_t max_bytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  Entry* entry = FindLocked(id);
  if (entry == nullptr || !entry->encryption) {
    return std::nullopt;
  }
  Usage& usage = entry->usage;
  const bool spent = usage.messages >= max_messages || bytes > max_bytes ||
                     usage.bytes > max_bytes - bytes;
  if (entry->encryption->suite != suite || spent) {
    EraseLocked(index_.at(id));  // the next message gets a fresh data key
    return std::nullopt;
  }
  ++usage.messages;
  usage.bytes += bytes;
  return CloneMaterials(*entry->encryption);
}

std::optional<DecryptionMaterials> MaterialsCache::GetDecrypt(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  Entry* entry = FindLocked(id);
  if (entry == nullptr || !entry->decryption) {
    return std::nullopt;
  }
  return CloneMaterials(*entry->decryption);
}

void MaterialsCache::PutEncrypt(const std::string& id, EncryptionMaterials materials,
                                Usage usage, Clock::TimePoint expiry) {
  Entry entry{id, std::move(materials), std::nullopt, usage, expiry};
  std::lock_guard<std::mutex> lock(mutex_);
  InsertLocked(std::move(entry));
}

void MaterialsCache::PutDecrypt(const std::string& id, DecryptionMaterials materials,
                                Clock::TimePoint expiry) {
  Entry entry{id, std::nullopt, std::move(materials), {}, expiry};
  std::lock_guard<std::mutex> lock(mutex_);
  InsertLocked(std::move(entry));
}

std::size_t MaterialsCache::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

}  // namespace envelope
