#pragma once
// The AWS KMS keyring over the kms/api interface: the same keyring serves AWS KMS (the remote
// KmsClient), the local KMS over HTTP, and the embedded key store in-process.
//
// Wire form of its EDKs (reference/message-format.md §3.3):
//   provider id   = "aws-kms"
//   provider info = the key ARN from the KMS response's KeyId (UTF-8)
//   ciphertext    = the KMS CiphertextBlob
//
// Strict mode: the first key is the generator (GenerateDataKey), every other key wraps the same
// data key with Encrypt. On decrypt an EDK is tried only when its provider info is a key ARN equal
// to one of the configured key ids. Discovery mode (decrypt only) tries every "aws-kms" EDK whose
// info is a key ARN accepted by the optional filter, with a client for the ARN's region.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "envelope/materials.h"
#include "envelope/result.h"
#include "kms/api/kms_api.h"

namespace envelope {

inline constexpr std::string_view kAwsKmsProviderId = "aws-kms";

// Gives the KmsApi for a region. `region` is the region of an ARN key id, or empty for an alias
// name or a bare key id (the supplier then uses its default region). Called at keyring
// construction (strict) or on first use of a region (discovery); must be thread-safe.
using KmsClientSupplier =
    std::function<Result<std::shared_ptr<kms::KmsApi>>(const std::string& region)>;

struct AwsKmsKeyringOptions {
  // Key ARNs, alias names/ARNs or key ids; the first is the generator. Decrypt matches EDKs
  // against these strings, so only key ARNs can decrypt.
  std::vector<std::string> key_ids;
  std::vector<std::string> grant_tokens;
  KmsClientSupplier client_supplier;
};

struct DiscoveryFilter {
  std::vector<std::string> account_ids;  // non-empty, 12 digits each
  std::string partition;                 // e.g. "aws"; non-empty
};

struct AwsKmsDiscoveryOptions {
  std::optional<DiscoveryFilter> filter;
  std::vector<std::string> grant_tokens;
  KmsClientSupplier client_supplier;
};

// A strict keyring (one key: itself; several: a multi-keyring of them). kInvalidArgument for no
// key ids, an empty or malformed id, or no supplier; the supplier's error for a region it cannot
// serve.
Result<KeyringPtr> MakeAwsKmsKeyring(AwsKmsKeyringOptions options);

// A discovery keyring: decrypt only (OnEncrypt fails with kInvalidArgument). kInvalidArgument for
// no supplier or a filter with no accounts, a malformed account id or an empty partition.
Result<KeyringPtr> MakeAwsKmsDiscoveryKeyring(AwsKmsDiscoveryOptions options);

}  // namespace envelope
