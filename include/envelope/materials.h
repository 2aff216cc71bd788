#pragma once
// Cryptographic materials, keyrings and crypto materials managers (CMMs): the extension points
// that the raw keyrings, the AWS KMS keyring and the caching CMM plug into. Nothing here knows of
// any particular key provider. Spec: docs/format.md#keyrings.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "envelope/algorithm_suite.h"
#include "envelope/result.h"
#include "envelope/secret_bytes.h"

namespace envelope {

// Encryption context: non-secret key/value pairs bound to the message. Ordered by the keys'
// UTF-8 bytes, which is the serialization order.
using EncryptionContext = std::map<std::string, std::string>;

// The key under which the default CMM stores the signature verification key in the context.
inline constexpr std::string_view kPublicKeyContextKey = "aws-crypto-public-key";
// Context keys with this prefix are reserved for the library.
inline constexpr std::string_view kReservedContextPrefix = "aws-crypto-";

struct EncryptedDataKey {
  std::string provider_id;
  std::vector<std::uint8_t> provider_info;
  std::vector<std::uint8_t> ciphertext;
  bool operator==(const EncryptedDataKey&) const = default;
};

struct EncryptionMaterials {
  AlgorithmSuite suite;
  // The full context: the caller's pairs plus the public key for signing suites.
  EncryptionContext encryption_context;
  // Keys of `encryption_context` that are authenticated but not stored in the header.
  std::vector<std::string> required_encryption_context_keys;
  SecretBytes data_key;  // empty until a generator keyring provides one
  std::vector<EncryptedDataKey> encrypted_data_keys;
  SecretBytes signing_key;  // the private scalar (big-endian), empty when the suite doesn't sign
};

struct DecryptionMaterials {
  AlgorithmSuite suite;
  EncryptionContext encryption_context;  // header pairs plus reproduced required pairs
  std::vector<std::string> required_encryption_context_keys;
  SecretBytes data_key;  // empty until a keyring decrypts one
  std::vector<std::uint8_t> verification_key;  // compressed point, empty when unsigned
};

// Wraps and unwraps data keys. Implementations are immutable after construction and thread-safe:
// the library may call them concurrently from many messages.
class Keyring {
 public:
  virtual ~Keyring() = default;
  // Generates the data key when `materials.data_key` is empty (a generator), then appends one
  // encrypted data key for it. Errors: kInvalidArgument (cannot generate: not a generator),
  // kUnavailable, kPermissionDenied and other remote errors.
  virtual Status OnEncrypt(EncryptionMaterials& materials) const = 0;
  // When `materials.data_key` is empty, sets it from the first EDK this keyring can decrypt.
  // Returns OK without a data key when no EDK belongs to it; an error when one did and failed.
  virtual Status OnDecrypt(DecryptionMaterials& materials,
                           std::span<const EncryptedDataKey> edks) const = 0;
};
using KeyringPtr = std::shared_ptr<const Keyring>;

struct EncryptionMaterialsRequest {
  EncryptionContext encryption_context;
  CommitmentPolicy commitment_policy = CommitmentPolicy::kRequireEncryptRequireDecrypt;
  std::optional<AlgorithmSuite> suite;              // the caller's choice, if any
  std::optional<std::uint64_t> max_plaintext_length;  // known size, for caching limits
};

struct DecryptMaterialsRequest {
  AlgorithmSuite suite;
  CommitmentPolicy commitment_policy = CommitmentPolicy::kRequireEncryptRequireDecrypt;
  std::span<const EncryptedDataKey> encrypted_data_keys;
  EncryptionContext encryption_context;             // as stored in the header
  EncryptionContext reproduced_encryption_context;  // given by the caller, may be empty
};

// Produces materials for one message. Thread-safe.
class CryptoMaterialsManager {
 public:
  virtual ~CryptoMaterialsManager() = default;
  virtual Result<EncryptionMaterials> GetEncryptionMaterials(
      const EncryptionMaterialsRequest& request) = 0;
  virtual Result<DecryptionMaterials> DecryptMaterials(const DecryptMaterialsRequest& request) = 0;
};
using CmmPtr = std::shared_ptr<CryptoMaterialsManager>;

}  // namespace envelope
