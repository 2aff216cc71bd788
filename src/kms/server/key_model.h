#pragma once
// The local KMS's stored objects: keys with their material versions, aliases and grants.
// Records are immutable once published by the KeyStore (shared as shared_ptr<const ...>); a
// change makes a modified copy and stores it, so readers never lock during cryptography.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "envelope/secret_bytes.h"

namespace envelope::kms::server {

// One version of a key's material. Symmetric and HMAC keys hold raw key bytes; asymmetric keys
// hold the PKCS#8 DER private key. Versions start at 1; rotation appends, never replaces.
struct KeyMaterial {
  std::uint32_t version = 1;
  double created = 0;         // epoch seconds
  std::string rotation_type;  // "" for the original material, "ON_DEMAND" or "AUTOMATIC"
  SecretBytes secret;
};

struct KeyRecord {
  std::string account;
  std::string region;
  std::string key_id;
  double creation_date = 0;
  std::string description;
  std::string key_usage;  // ENCRYPT_DECRYPT | SIGN_VERIFY | GENERATE_VERIFY_MAC | KEY_AGREEMENT
  std::string key_spec;   // SYMMETRIC_DEFAULT, RSA_2048, ECC_NIST_P256, HMAC_256, ...
  std::string origin = "AWS_KMS";
  std::string custom_key_store_id;  // "" unless the key was created in a custom key store
  bool multi_region = false;
  std::string state = "Enabled";  // Enabled | Disabled | PendingDeletion
  std::optional<double> deletion_date;
  int pending_window_days = 0;
  bool rotation_enabled = false;
  int rotation_period_days = 365;
  std::optional<double> next_rotation_date;
  std::string policy;  // the "default" key policy document, stored as given
  std::vector<std::shared_ptr<const KeyMaterial>> materials;  // ascending versions
  std::map<std::string, std::string> tags;

  const KeyMaterial& current() const { return *materials.back(); }
  const KeyMaterial* material(std::uint32_t version) const {
    for (const auto& m : materials) {
      if (m->version == version) return m.get();
    }
    return nullptr;
  }
};

struct AliasRecord {
  std::string account;
  std::string region;
  std::string name;  // "alias/..."
  std::string key_id;
  double creation_date = 0;
  double last_updated_date = 0;
};

struct GrantRecord {
  std::string grant_id;
  std::string grant_token;
  std::string account;  // the key's account and region
  std::string region;
  std::string key_id;
  std::string name;
  std::string grantee_principal;
  std::string retiring_principal;
  std::string issuing_account;  // "arn:aws:iam::ACCOUNT:root" of the creator
  std::vector<std::string> operations;
  std::map<std::string, std::string> context_equals;  // Constraints.EncryptionContextEquals
  std::map<std::string, std::string> context_subset;  // Constraints.EncryptionContextSubset
  double creation_date = 0;
};

}  // namespace envelope::kms::server
