// provider=local (the embedded key store), provider=aws-kms, and the default keyring used when no
// --wrapping-keys are given.
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "cli/embedded_store.h"
#include "cli/remote_kms.h"
#include "cli/wrapping_keys.h"
#include "kms/api/arn.h"
#include "materials/aws_kms_keyring.h"

namespace envelope::cli {
namespace {

std::optional<std::string> Attribute(const WrappingKeySpec& spec, const std::string& name) {
  auto it = spec.attributes.find(name);
  if (it == spec.attributes.end()) {
    return std::nullopt;
  }
  return it->second;
}

Status SpecError(const WrappingKeySpec& spec, const std::string& message) {
  return InvalidArgument("wrapping key provider=" + spec.provider + ": " + message);
}

// discovery=true|false; nullopt when absent.
Result<std::optional<bool>> DiscoveryFlag(const WrappingKeySpec& spec) {
  std::optional<std::string> value = Attribute(spec, "discovery");
  if (!value) {
    return std::optional<bool>();
  }
  if (*value != "true" && *value != "false") {
    return SpecError(spec, "discovery must be true or false");
  }
  return std::optional<bool>(*value == "true");
}

// Checks the key=/discovery= combination shared by both KMS providers. Returns whether the spec
// asks for discovery.
Result<bool> CheckKeysOrDiscovery(const WrappingKeySpec& spec, KeyUse use) {
  ENVELOPE_ASSIGN_OR_RETURN(std::optional<bool> discovery, DiscoveryFlag(spec));
  const bool has_keys = !spec.All("key").empty();
  if (discovery.value_or(false)) {
    if (has_keys) {
      return SpecError(spec, "give key=... or discovery=true, not both");
    }
    if (use == KeyUse::kEncrypt) {
      return SpecError(spec, "discovery=true is for decrypt only; encrypt needs key=...");
    }
    return true;
  }
  if (!has_keys) {
    return SpecError(spec, use == KeyUse::kEncrypt ? "missing key=..."
                                                   : "missing key=... (or discovery=true)");
  }
  return false;
}

Result<std::string> DataDir(const KeyContext& context, const WrappingKeySpec* spec) {
  if (spec != nullptr) {
    if (std::optional<std::string> dir = Attribute(*spec, "data-dir")) {
      return *dir;
    }
  }
  if (!context.kms.data_dir.empty()) {
    return context.kms.data_dir;
  }
  return UserDataDir();
}

// Serves region "" (alias names and key ids) from `region`.
KmsClientSupplier WithDefaultRegion(KmsClientSupplier supplier, std::string region) {
  return [supplier = std::move(supplier), region = std::move(region)](const std::string& r) {
    return supplier(r.empty() ? region : r);
  };
}

}  // namespace

Result<KeyringPtr> MakeLocalKmsKeyring(const WrappingKeySpec& spec, const KeyContext& context) {
  ENVELOPE_RETURN_IF_ERROR(CheckAttributes(spec, {}, {"key", "region", "discovery", "data-dir"}));
  ENVELOPE_ASSIGN_OR_RETURN(bool discovery, CheckKeysOrDiscovery(spec, context.use));
  ENVELOPE_ASSIGN_OR_RETURN(std::string data_dir, DataDir(context, &spec));
  ENVELOPE_ASSIGN_OR_RETURN(KmsClientSupplier store, OpenEmbeddedStore(data_dir));
  const std::string region = Attribute(spec, "region").value_or(kDefaultLocalRegion);
  store = WithDefaultRegion(std::move(store), region);
  if (discovery) {
    return MakeAwsKmsDiscoveryKeyring({std::nullopt, {}, store});
  }
  // The store resolves aliases and key ids to key ARNs, so that decrypt can match EDKs; encrypt
  // creates a missing alias (with a new key), as the default key is created on first use.
  std::vector<std::string> arns;
  for (const std::string& key : spec.All("key")) {
    Result<kms::KeyIdentifier> id = kms::ParseKeyIdentifier(key);
    if (!id.ok()) {
      return SpecError(spec, "'" + key + "' is not a key ARN, alias name, alias ARN or key id");
    }
    ENVELOPE_ASSIGN_OR_RETURN(std::shared_ptr<kms::KmsApi> api,
                              store(id->is_arn() ? id->region : ""));
    bool created = false;
    Result<std::string> arn = ResolveLocalKey(*api, key, context.use == KeyUse::kEncrypt, &created);
    if (!arn.ok()) {
      return arn.status().Annotate("embedded key store " + data_dir + ": " + key);
    }
    if (created) {
      std::fprintf(stderr, "envelope: created %s (%s) in the embedded key store %s\n", key.c_str(),
                   arn->c_str(), data_dir.c_str());
    }
    arns.push_back(*arn);
  }
  return MakeAwsKmsKeyring({std::move(arns), {}, store});
}

Result<KeyringPtr> MakeAwsKmsKeyringFromSpec(const WrappingKeySpec& spec,
                                             const KeyContext& context) {
  ENVELOPE_RETURN_IF_ERROR(CheckAttributes(
      spec, {},
      {"key", "region", "profile", "discovery", "discovery-account", "discovery-partition"}));
  ENVELOPE_ASSIGN_OR_RETURN(bool discovery, CheckKeysOrDiscovery(spec, context.use));
  const std::vector<std::string> accounts = spec.All("discovery-account");
  const std::optional<std::string> partition = Attribute(spec, "discovery-partition");
  if (!discovery && (!accounts.empty() || partition)) {
    return SpecError(spec, "discovery-account/discovery-partition need discovery=true");
  }
  if (partition && accounts.empty()) {
    return SpecError(spec, "discovery-partition needs at least one discovery-account=...");
  }
  const std::vector<std::string> keys = spec.All("key");
  if (context.use == KeyUse::kDecrypt) {
    for (const std::string& key : keys) {
      Result<kms::KeyIdentifier> id = kms::ParseKeyIdentifier(key);
      if (!id.ok() || id->kind != kms::KeyIdKind::kKeyArn) {
        return SpecError(spec, "decrypt needs key ARNs (or discovery=true), not '" + key + "'");
      }
    }
  }
  ENVELOPE_ASSIGN_OR_RETURN(
      KmsClientSupplier supplier,
      RemoteKmsSupplier(context.kms, Attribute(spec, "region"), Attribute(spec, "profile")));
  if (discovery) {
    std::optional<DiscoveryFilter> filter;
    if (!accounts.empty()) {
      filter = DiscoveryFilter{accounts, partition.value_or("aws")};
    }
    Result<KeyringPtr> keyring = MakeAwsKmsDiscoveryKeyring({filter, {}, supplier});
    return keyring.ok() ? keyring : SpecError(spec, keyring.status().message());
  }
  Result<KeyringPtr> keyring = MakeAwsKmsKeyring({keys, {}, supplier});
  if (!keyring.ok() && keyring.status().code() == Code::kInvalidArgument) {
    return SpecError(spec, keyring.status().message());
  }
  return keyring;
}

Result<KeyringPtr> MakeDefaultKeyring(const KeyContext& context, std::string& notice) {
  if (!DataDirChosenExplicitly()) {
    const std::string aws = FindAwsConfiguration();
    if (!aws.empty()) {
      return InvalidArgument("no --wrapping-keys given, and AWS configuration is present (" + aws +
                             "): name a key with --wrapping-keys key=ARN, or use the embedded "
                             "key store with provider=local key=" +
                             kDefaultLocalAlias);
    }
  }
  ENVELOPE_ASSIGN_OR_RETURN(std::string data_dir, DataDir(context, nullptr));
  ENVELOPE_ASSIGN_OR_RETURN(KmsClientSupplier store, OpenEmbeddedStore(data_dir));
  store = WithDefaultRegion(std::move(store), kDefaultLocalRegion);
  if (context.use == KeyUse::kDecrypt) {
    return MakeAwsKmsDiscoveryKeyring({std::nullopt, {}, store});
  }
  ENVELOPE_ASSIGN_OR_RETURN(std::shared_ptr<kms::KmsApi> api, store(""));
  bool created = false;
  Result<std::string> arn = ResolveLocalKey(*api, kDefaultLocalAlias, true, &created);
  if (!arn.ok()) {
    return arn.status().Annotate("embedded key store " + data_dir);
  }
  notice = std::string("no --wrapping-keys: using the embedded key store's default key ") +
           kDefaultLocalAlias + (created ? " (created now)" : "") + " in " + data_dir;
  return MakeAwsKmsKeyring({{*arn}, {}, store});
}

}  // namespace envelope::cli
