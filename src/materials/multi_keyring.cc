// Multi-keyring: composes keyrings. The generator makes (and wraps) the data key, every child
// wraps it too; on decrypt the first keyring that yields the key wins.
#include <string>
#include <utility>
#include <vector>

#include "envelope/keyrings.h"

namespace envelope {
namespace {

class MultiKeyring final : public Keyring {
 public:
  MultiKeyring(KeyringPtr generator, std::vector<KeyringPtr> children)
      : generator_(std::move(generator)), children_(std::move(children)) {}

  Status OnEncrypt(EncryptionMaterials& materials) const override;
  Status OnDecrypt(DecryptionMaterials& materials,
                   std::span<const EncryptedDataKey> edks) const override;

 private:
  const KeyringPtr generator_;  // may be null
  const std::vector<KeyringPtr> children_;
};

Status MultiKeyring::OnEncrypt(EncryptionMaterials& materials) const {
  if (generator_ != nullptr) {
    ENVELOPE_RETURN_IF_ERROR(generator_->OnEncrypt(materials));
    if (materials.data_key.empty()) {
      return Internal("multi-keyring: the generator produced no data key");
    }
  } else if (materials.data_key.empty()) {
    return InvalidArgument("multi-keyring: no generator and no data key to wrap");
  }
  for (const KeyringPtr& child : children_) {
    ENVELOPE_RETURN_IF_ERROR(child->OnEncrypt(materials));
  }
  return OkStatus();
}

// Merges the failures of every keyring into one status. The code is the first failure's, so a
// single-keyring failure keeps its code (e.g. kUnavailable stays retryable).
Status CombineErrors(const std::vector<Status>& errors) {
  if (errors.size() == 1) {
    return errors.front().Annotate("multi-keyring");
  }
  std::string message = "multi-keyring: no keyring decrypted the data key:";
  for (std::size_t i = 0; i < errors.size(); ++i) {
    message += " [" + std::to_string(i + 1) + "] " + errors[i].ToString();
    if (i + 1 < errors.size()) {
      message += ";";
    }
  }
  return Status(errors.front().code(), std::move(message), errors.front().error_type());
}

Status MultiKeyring::OnDecrypt(DecryptionMaterials& materials,
                               std::span<const EncryptedDataKey> edks) const {
  if (!materials.data_key.empty()) {
    return OkStatus();
  }
  std::vector<const Keyring*> order;
  if (generator_ != nullptr) {
    order.push_back(generator_.get());
  }
  for (const KeyringPtr& child : children_) {
    order.push_back(child.get());
  }
  std::vector<Status> errors;
  for (const Keyring* keyring : order) {
    Status s = keyring->OnDecrypt(materials, edks);
    if (!materials.data_key.empty()) {
      return OkStatus();  // a key from any keyring wins over earlier errors
    }
    if (!s.ok()) {
      errors.push_back(std::move(s));
    }
  }
  if (errors.empty()) {
    return OkStatus();
  }
  return CombineErrors(errors);
}

}  // namespace

Result<KeyringPtr> MakeMultiKeyring(KeyringPtr generator, std::vector<KeyringPtr> children) {
  if (generator == nullptr && children.empty()) {
    return InvalidArgument("multi-keyring: needs a generator or at least one child keyring");
  }
  for (const KeyringPtr& child : children) {
    if (child == nullptr) {
      return InvalidArgument("multi-keyring: a child keyring is null");
    }
  }
  return KeyringPtr(std::make_shared<MultiKeyring>(std::move(generator), std::move(children)));
}

}  // namespace envelope
