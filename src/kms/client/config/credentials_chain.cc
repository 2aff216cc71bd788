#include "kms/client/config/credentials_chain.h"

#include <cstdint>
#include <span>
#include <utility>

namespace envelope::kms::config::internal {
namespace {

SecretBytes SecretFrom(const std::string& text) {
  return SecretBytes(std::span<const std::uint8_t>(
      reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

ClientCredentials Make(const std::string& id, const std::string& secret, std::string token) {
  return ClientCredentials{id, SecretFrom(secret), std::move(token)};
}

Status Partial(std::string_view where, std::string_view missing) {
  return InvalidArgument("Partial credentials found in " + std::string(where) + ", missing: " +
                         std::string(missing));
}

Result<std::optional<FoundCredentials>> FromEnvironment(const Environment& env) {
  std::optional<Found> id = FromEnv(env, {"AWS_ACCESS_KEY_ID"});
  std::optional<Found> secret = FromEnv(env, {"AWS_SECRET_ACCESS_KEY"});
  // As botocore: a source counts only when it has the key id; a secret alone is passed over.
  if (!id) return std::optional<FoundCredentials>();
  if (!secret) return Partial("env", "AWS_SECRET_ACCESS_KEY");
  std::optional<Found> token = FromEnv(env, {"AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"});
  return std::optional<FoundCredentials>(FoundCredentials{
      Make(id->value, secret->value, token ? token->value : ""), id->source});
}

Result<std::optional<FoundCredentials>> FromSection(const ProfileView& profile,
                                                    const ConfigSection* section,
                                                    const std::string& path,
                                                    std::string_view where) {
  std::optional<Found> id = profile.GetFrom(section, path, "aws_access_key_id");
  std::optional<Found> secret = profile.GetFrom(section, path, "aws_secret_access_key");
  if (!id) return std::optional<FoundCredentials>();
  if (!secret) return Partial(where, "aws_secret_access_key");
  std::optional<Found> token = profile.GetFrom(section, path, "aws_session_token");
  if (!token) token = profile.GetFrom(section, path, "aws_security_token");
  return std::optional<FoundCredentials>(FoundCredentials{
      Make(id->value, secret->value, token ? token->value : ""), id->source});
}

}  // namespace

Result<std::optional<FoundCredentials>> FindCredentials(
    const std::optional<ExplicitCredentials>& explicit_credentials, const std::string& explicit_label,
    const Environment& env, const ProfileView& profile, bool skip_env) {
  if (explicit_credentials.has_value()) {
    const ExplicitCredentials& c = *explicit_credentials;
    if (c.access_key_id.empty() || c.secret_access_key.empty()) {
      return Partial(explicit_label, c.access_key_id.empty() ? "access key id" : "secret key");
    }
    return std::optional<FoundCredentials>(FoundCredentials{
        ClientCredentials{c.access_key_id, c.secret_access_key.Clone(), c.session_token},
        explicit_label});
  }
  if (!skip_env) {
    ENVELOPE_ASSIGN_OR_RETURN(std::optional<FoundCredentials> found, FromEnvironment(env));
    if (found) return found;
  }
  ENVELOPE_ASSIGN_OR_RETURN(
      std::optional<FoundCredentials> shared,
      FromSection(profile, profile.credentials, profile.credentials_path, "shared-credentials-file"));
  if (shared) return shared;
  return FromSection(profile, profile.config, profile.config_path, "config-file");
}

}  // namespace envelope::kms::config::internal
