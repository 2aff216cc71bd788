#include "cli/wrapping_keys.h"

#include <set>

#include "cli/exit_codes.h"
#include "cli/file_io.h"
#include "envelope/keyrings.h"

namespace envelope::cli {
namespace {

constexpr std::size_t kMaxKeyFileBytes = 64 * 1024;

// Attributes that may be given more than once in one spec.
bool Repeatable(const std::string& name) { return name == "key" || name == "discovery-account"; }

Result<KeyringPtr> MakeRawAes(const WrappingKeySpec& spec, const KeyContext&) {
  ENVELOPE_RETURN_IF_ERROR(
      CheckAttributes(spec, {"key-namespace", "key-name", "key-file"}, {}));
  const std::string& path = spec.attributes.at("key-file");
  ENVELOPE_ASSIGN_OR_RETURN(SecretBytes key, ReadSecretFile(path, kMaxKeyFileBytes));
  if (key.size() != 16 && key.size() != 24 && key.size() != 32) {
    return InvalidArgument("key-file " + path + ": holds " + std::to_string(key.size()) +
                           " bytes; a raw AES key is 16, 24 or 32 bytes");
  }
  Result<KeyringPtr> keyring = MakeRawAesKeyring(spec.attributes.at("key-namespace"),
                                                 spec.attributes.at("key-name"), std::move(key));
  if (!keyring.ok()) {
    return keyring.status().Annotate("provider=raw-aes");
  }
  return keyring;
}

Result<KeyringPtr> MakeRawRsa(const WrappingKeySpec& spec, const KeyContext& context) {
  const KeyUse use = context.use;
  ENVELOPE_RETURN_IF_ERROR(CheckAttributes(spec, {"key-namespace", "key-name", "padding"},
                                           {"public-key-file", "private-key-file"}));
  const auto& attrs = spec.attributes;
  const bool has_public = attrs.count("public-key-file") > 0;
  const bool has_private = attrs.count("private-key-file") > 0;
  if (use == KeyUse::kEncrypt && !has_public) {
    return InvalidArgument("wrapping key provider=raw-rsa: encrypt needs public-key-file=...");
  }
  if (use == KeyUse::kDecrypt && !has_private) {
    return InvalidArgument("wrapping key provider=raw-rsa: decrypt needs private-key-file=...");
  }
  Result<RsaPadding> padding = ParseRsaPadding(attrs.at("padding"));
  if (!padding.ok()) {
    return InvalidArgument("wrapping key provider=raw-rsa: padding '" + attrs.at("padding") +
                           "' is not one of oaep-sha1, oaep-sha256, oaep-sha384, oaep-sha512, "
                           "pkcs1");
  }
  std::string public_pem;
  SecretBytes private_pem;
  if (has_public) {
    ENVELOPE_ASSIGN_OR_RETURN(public_pem,
                              ReadTextFile(attrs.at("public-key-file"), kMaxKeyFileBytes));
  }
  if (has_private) {
    ENVELOPE_ASSIGN_OR_RETURN(private_pem,
                              ReadSecretFile(attrs.at("private-key-file"), kMaxKeyFileBytes));
  }
  Result<KeyringPtr> keyring =
      MakeRawRsaKeyring(attrs.at("key-namespace"), attrs.at("key-name"), *padding,
                        std::move(public_pem), std::move(private_pem));
  if (!keyring.ok()) {
    return keyring.status().Annotate("provider=raw-rsa");
  }
  return keyring;
}

// The provider registry.
constexpr KeyProvider kProviders[] = {
    {"raw-aes", &MakeRawAes},
    {"raw-rsa", &MakeRawRsa},
    {"aws-kms", &MakeAwsKmsKeyringFromSpec},
    {"local", &MakeLocalKmsKeyring},
};

}  // namespace

std::vector<std::string> WrappingKeySpec::All(const std::string& name) const {
  if (auto it = repeated.find(name); it != repeated.end()) {
    return it->second;
  }
  if (auto it = attributes.find(name); it != attributes.end()) {
    return {it->second};
  }
  return {};
}

Status CheckAttributes(const WrappingKeySpec& spec, const std::vector<std::string>& required,
                       const std::vector<std::string>& optional) {
  const std::set<std::string> known_required(required.begin(), required.end());
  const std::set<std::string> known_optional(optional.begin(), optional.end());
  for (const std::string& name : required) {
    if (spec.attributes.count(name) == 0) {
      return InvalidArgument("wrapping key provider=" + spec.provider + ": missing " + name +
                             "=...");
    }
  }
  for (const auto& [name, value] : spec.attributes) {
    if (known_required.count(name) == 0 && known_optional.count(name) == 0) {
      return InvalidArgument("wrapping key provider=" + spec.provider + ": unknown attribute '" +
                             name + "'");
    }
  }
  return OkStatus();
}

std::span<const KeyProvider> KeyProviders() { return kProviders; }

Result<WrappingKeySpec> ParseWrappingKeySpec(std::string_view text) {
  WrappingKeySpec spec;
  bool has_provider = false;
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (text[pos] == ' ' || text[pos] == '\t') {
      ++pos;
      continue;
    }
    std::size_t end = text.find_first_of(" \t", pos);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    const std::string_view token = text.substr(pos, end - pos);
    pos = end;
    const std::size_t eq = token.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return InvalidArgument("wrapping key: '" + std::string(token) + "' is not key=value");
    }
    std::string key(token.substr(0, eq));
    std::string value(token.substr(eq + 1));
    if (key == "provider") {
      if (has_provider) {
        return InvalidArgument("wrapping key: provider given more than once");
      }
      has_provider = true;
      spec.provider = std::move(value);
    } else if (Repeatable(key)) {
      spec.attributes.emplace(key, value);
      spec.repeated[key].push_back(std::move(value));
    } else if (!spec.attributes.emplace(key, std::move(value)).second) {
      return InvalidArgument("wrapping key: '" + key + "' given more than once");
    }
  }
  if (!has_provider && (spec.attributes.count("key") || spec.attributes.count("discovery"))) {
    has_provider = true;
    spec.provider = "aws-kms";  // as in the AWS Encryption CLI
  }
  if (!has_provider) {
    return InvalidArgument("wrapping key: missing provider=... in '" + std::string(text) + "'");
  }
  return spec;
}

Result<KeyringPtr> MakeKeyring(const WrappingKeySpec& spec, const KeyContext& context) {
  std::string names;
  for (const KeyProvider& provider : KeyProviders()) {
    if (provider.name == spec.provider) {
      return provider.factory(spec, context);
    }
    names += (names.empty() ? "" : ", ") + std::string(provider.name);
  }
  return InvalidArgument("wrapping key: unknown provider '" + spec.provider +
                         "' (supported: " + names + ")");
}

Result<KeyringPtr> MakeKeyringFromSpecs(std::span<const std::string> specs,
                                        const KeyContext& context) {
  if (specs.empty()) {
    return InvalidArgument("no --wrapping-keys given");
  }
  std::vector<KeyringPtr> keyrings;
  for (const std::string& text : specs) {
    ENVELOPE_ASSIGN_OR_RETURN(WrappingKeySpec spec, ParseWrappingKeySpec(text));
    ENVELOPE_ASSIGN_OR_RETURN(KeyringPtr keyring, MakeKeyring(spec, context));
    keyrings.push_back(std::move(keyring));
  }
  if (keyrings.size() == 1) {
    return keyrings.front();
  }
  KeyringPtr generator = std::move(keyrings.front());
  keyrings.erase(keyrings.begin());
  return MakeMultiKeyring(std::move(generator), std::move(keyrings));
}

}  // namespace envelope::cli
