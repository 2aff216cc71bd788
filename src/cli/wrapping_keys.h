#pragma once
// Wrapping-key specs (`--wrapping-keys`) and the provider registry that turns them into keyrings.
//
// A spec is space-separated key=value attributes, as in the AWS Encryption CLI:
//   provider=raw-aes key-namespace=NS key-name=NAME key-file=PATH
//   provider=raw-rsa key-namespace=NS key-name=NAME public-key-file=PEM private-key-file=PEM
//                    padding=oaep-sha256
// The first spec is the generator; the others are children of a multi-keyring.
//
// Adding a provider (provider=aws-kms, provider=local): write a factory with the KeyringFactory
// signature and add one row to the table in wrapping_keys.cc. Nothing else changes.
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "envelope/materials.h"

namespace envelope::cli {

struct WrappingKeySpec {
  std::string provider;
  std::map<std::string, std::string> attributes;  // every attribute except provider
};

// Splits on spaces; each token must be key=value with a non-empty key, keys unique, provider
// present. kInvalidArgument otherwise.
Result<WrappingKeySpec> ParseWrappingKeySpec(std::string_view text);

// What the keyring will be used for: on encrypt a raw RSA spec needs only the public key, on
// decrypt only the private key.
enum class KeyUse { kEncrypt, kDecrypt };

using KeyringFactory = Result<KeyringPtr> (*)(const WrappingKeySpec& spec, KeyUse use);

struct KeyProvider {
  std::string_view name;  // the provider= value
  KeyringFactory factory;
};

// The supported providers, in the order named in error messages.
std::span<const KeyProvider> KeyProviders();

// One keyring from one spec. kInvalidArgument for an unknown provider (the message names the
// supported ones), a missing or unknown attribute, or a bad key; IoError for an unreadable key
// file.
Result<KeyringPtr> MakeKeyring(const WrappingKeySpec& spec, KeyUse use);

// The keyring for all specs: the keyring itself for one spec, else a multi-keyring with the first
// as generator. kInvalidArgument when `specs` is empty.
Result<KeyringPtr> MakeKeyringFromSpecs(std::span<const std::string> specs, KeyUse use);

}  // namespace envelope::cli
