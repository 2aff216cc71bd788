#pragma once
// Wrapping-key specs (`--wrapping-keys`) and the provider registry that turns them into keyrings.
//
// A spec is space-separated key=value attributes, as in the AWS Encryption CLI:
//   provider=raw-aes key-namespace=NS key-name=NAME key-file=PATH
//   provider=raw-rsa key-namespace=NS key-name=NAME public-key-file=PEM private-key-file=PEM
//                    padding=oaep-sha256
//   [provider=aws-kms] key=ARN|alias/NAME|ID [key=...] [region=R] [profile=P]
//   [provider=aws-kms] discovery=true [discovery-account=A ...] [discovery-partition=P]
//   provider=local key=alias/NAME|ID|ARN [key=...] [region=R]      (the embedded key store)
//   provider=local discovery=true                                    (decrypt only)
// provider=aws-kms is the default when the spec has key= or discovery=. The first spec is the
// generator; the others are children of a multi-keyring.
//
// Adding a provider: write a factory with the KeyringFactory signature and add one row to the
// table in wrapping_keys.cc. Nothing else changes.
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli/args.h"
#include "envelope/materials.h"

namespace envelope::cli {

struct WrappingKeySpec {
  std::string provider;
  std::map<std::string, std::string> attributes;  // every attribute except provider (first value)
  // Every value of the attributes that may repeat (key, discovery-account), in order.
  std::map<std::string, std::vector<std::string>> repeated;
  // All values of `name`: the repeated list, else the single attribute, else empty.
  std::vector<std::string> All(const std::string& name) const;
};

// Splits on spaces; each token must be key=value with a non-empty key, keys unique (except key=
// and discovery-account=), provider present or implied by key=/discovery=. kInvalidArgument
// otherwise.
Result<WrappingKeySpec> ParseWrappingKeySpec(std::string_view text);

// What the keyring will be used for: on encrypt a raw RSA spec needs only the public key, on
// decrypt only the private key.
enum class KeyUse { kEncrypt, kDecrypt };

// Settings of the KMS providers that come from command options rather than key specs.
struct KmsSettings {
  std::string data_dir;  // the embedded store (provider=local); empty: UserDataDir()
  KmsClientFlags client;  // the remote client (provider=aws-kms)
};

struct KeyContext {
  KeyUse use = KeyUse::kEncrypt;
  KmsSettings kms;
};

using KeyringFactory = Result<KeyringPtr> (*)(const WrappingKeySpec& spec,
                                              const KeyContext& context);

struct KeyProvider {
  std::string_view name;  // the provider= value
  KeyringFactory factory;
};

// The supported providers, in the order named in error messages.
std::span<const KeyProvider> KeyProviders();

// One keyring from one spec. kInvalidArgument for an unknown provider (the message names the
// supported ones), a missing or unknown attribute, or a bad key; IoError for an unreadable key
// file.
Result<KeyringPtr> MakeKeyring(const WrappingKeySpec& spec, const KeyContext& context);
inline Result<KeyringPtr> MakeKeyring(const WrappingKeySpec& spec, KeyUse use) {
  return MakeKeyring(spec, KeyContext{use, {}});
}

// The keyring for all specs: the keyring itself for one spec, else a multi-keyring with the first
// as generator. kInvalidArgument when `specs` is empty.
Result<KeyringPtr> MakeKeyringFromSpecs(std::span<const std::string> specs,
                                        const KeyContext& context);
inline Result<KeyringPtr> MakeKeyringFromSpecs(std::span<const std::string> specs, KeyUse use) {
  return MakeKeyringFromSpecs(specs, KeyContext{use, {}});
}

// Checks that `spec` has every attribute in `required` and none outside `required` + `optional`.
// kInvalidArgument naming the first offender.
Status CheckAttributes(const WrappingKeySpec& spec, const std::vector<std::string>& required,
                       const std::vector<std::string>& optional);

// The KMS providers (kms_providers.cc).
Result<KeyringPtr> MakeLocalKmsKeyring(const WrappingKeySpec& spec, const KeyContext& context);
Result<KeyringPtr> MakeAwsKmsKeyringFromSpec(const WrappingKeySpec& spec,
                                             const KeyContext& context);

// The keyring used when no --wrapping-keys are given: on encrypt the embedded store's default key
// alias/envelope-default (created on first use), on decrypt discovery over the embedded store.
// `notice` receives the one line to print on stderr (encrypt only).
Result<KeyringPtr> MakeDefaultKeyring(const KeyContext& context, std::string& notice);

}  // namespace envelope::cli
