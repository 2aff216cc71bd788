// Required-encryption-context CMM: insists that chosen context keys are given on encrypt and
// reproduced on decrypt, and marks them required so the message engine authenticates those
// pairs without storing them in the header.
//
// Spec: reference/message-format.md §1.2 (authenticate-only context).
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "envelope/keyrings.h"

namespace envelope {
namespace {

void AddUnique(std::vector<std::string>& keys, const std::string& key) {
  if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
    keys.push_back(key);
  }
}

Status CheckPresent(const EncryptionContext& context, const std::vector<std::string>& keys,
                    std::string_view where) {
  for (const std::string& key : keys) {
    if (!context.contains(key)) {
      return InvalidArgument("required encryption context key '" + key + "' is missing from the " +
                             std::string(where));
    }
  }
  return OkStatus();
}

class RequiredEncryptionContextCmm final : public CryptoMaterialsManager {
 public:
  RequiredEncryptionContextCmm(CmmPtr underlying, std::vector<std::string> required_keys)
      : underlying_(std::move(underlying)), required_keys_(std::move(required_keys)) {}

  Result<EncryptionMaterials> GetEncryptionMaterials(
      const EncryptionMaterialsRequest& request) override {
    ENVELOPE_RETURN_IF_ERROR(
        CheckPresent(request.encryption_context, required_keys_, "encryption context"));
    ENVELOPE_ASSIGN_OR_RETURN(EncryptionMaterials materials,
                              underlying_->GetEncryptionMaterials(request));
    ENVELOPE_RETURN_IF_ERROR(CheckPresent(materials.encryption_context, required_keys_,
                                          "underlying CMM's encryption materials"));
    std::vector<std::string> keys = required_keys_;
    for (const std::string& key : materials.required_encryption_context_keys) {
      AddUnique(keys, key);
    }
    materials.required_encryption_context_keys = std::move(keys);
    return materials;
  }

  Result<DecryptionMaterials> DecryptMaterials(const DecryptMaterialsRequest& request) override {
    ENVELOPE_RETURN_IF_ERROR(CheckPresent(request.reproduced_encryption_context, required_keys_,
                                          "reproduced encryption context"));
    ENVELOPE_ASSIGN_OR_RETURN(DecryptionMaterials materials,
                              underlying_->DecryptMaterials(request));
    ENVELOPE_RETURN_IF_ERROR(CheckPresent(materials.encryption_context, required_keys_,
                                          "underlying CMM's decryption materials"));
    // A required pair is authenticate-only exactly when the header does not store it. A message
    // written without this CMM stores the pair in the header; marking it required there would
    // authenticate it twice and fail the header check.
    for (const std::string& key : required_keys_) {
      if (!request.encryption_context.contains(key)) {
        AddUnique(materials.required_encryption_context_keys, key);
      }
    }
    return materials;
  }

 private:
  const CmmPtr underlying_;
  const std::vector<std::string> required_keys_;
};

}  // namespace

Result<CmmPtr> MakeRequiredEncryptionContextCmm(CmmPtr underlying,
                                                std::vector<std::string> required_keys) {
  if (underlying == nullptr) {
    return InvalidArgument("required encryption context CMM: no underlying CMM");
  }
  if (required_keys.empty()) {
    return InvalidArgument("required encryption context CMM: the list of required keys is empty");
  }
  std::vector<std::string> unique;
  for (const std::string& key : required_keys) {
    AddUnique(unique, key);
  }
  return CmmPtr(
      std::make_shared<RequiredEncryptionContextCmm>(std::move(underlying), std::move(unique)));
}

}  // namespace envelope
