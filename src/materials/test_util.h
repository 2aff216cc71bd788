#pragma once
// Helpers for the materials tests.
#include <span>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "envelope/keyrings.h"
#include "envelope/materials.h"

namespace envelope::testing {

inline SecretBytes KeyOfSize(std::size_t n, std::uint8_t first = 1) {
  SecretBytes key(n);
  for (std::size_t i = 0; i < n; ++i) {
    key.data()[i] = static_cast<std::uint8_t>(first + i);
  }
  return key;
}

inline EncryptionMaterials EncMaterials(AlgorithmSuite suite, EncryptionContext context = {}) {
  EncryptionMaterials m;
  m.suite = suite;
  m.encryption_context = std::move(context);
  return m;
}

inline DecryptionMaterials DecMaterials(AlgorithmSuite suite, EncryptionContext context = {}) {
  DecryptionMaterials m;
  m.suite = suite;
  m.encryption_context = std::move(context);
  return m;
}

// A keyring with scripted answers: OnEncrypt/OnDecrypt return `status`; OnDecrypt sets
// `decrypt_key` (when not empty) before returning. Counts calls.
class ScriptedKeyring final : public Keyring {
 public:
  ScriptedKeyring(Status status, Bytes decrypt_key = {})
      : status_(std::move(status)), decrypt_key_(std::move(decrypt_key)) {}
  Status OnEncrypt(EncryptionMaterials& materials) const override {
    ++encrypt_calls;
    return status_;
  }
  Status OnDecrypt(DecryptionMaterials& materials,
                   std::span<const EncryptedDataKey> edks) const override {
    ++decrypt_calls;
    if (!decrypt_key_.empty()) {
      materials.data_key = SecretBytes(decrypt_key_);
    }
    return status_;
  }
  mutable int encrypt_calls = 0;
  mutable int decrypt_calls = 0;

 private:
  Status status_;
  Bytes decrypt_key_;
};

}  // namespace envelope::testing
