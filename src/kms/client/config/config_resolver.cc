#include "kms/client/config/config_resolver.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <utility>

#include "kms/client/config/config_file.h"
#include "kms/client/config/credentials_chain.h"
#include "kms/client/config/endpoint_resolver.h"
#include "kms/client/config/profile_view.h"

namespace envelope::kms::config {
namespace {

using internal::Found;
using internal::FromEnv;
using internal::ProfileView;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<std::string> BoolText(const std::optional<bool>& b) {
  if (!b) return std::nullopt;
  return std::string(*b ? "true" : "false");
}

std::string Millis(std::chrono::milliseconds ms) { return std::to_string(ms.count()) + " ms"; }

// Resolves one ResolvedConfig; each step fills options, settings and warnings in report order.
class Resolver {
 public:
  Resolver(const ConfigOverrides& o, const Environment& env) : o_(o), env_(env) {}
  ~Resolver() {
    if (config_) ScrubSecrets(*config_);
    if (credentials_) ScrubSecrets(*credentials_);
  }
  Resolver(const Resolver&) = delete;
  Resolver& operator=(const Resolver&) = delete;

  Result<ResolvedConfig> Run(std::span<const Partition> partitions) {
    ENVELOPE_RETURN_IF_ERROR(LoadFiles());
    ENVELOPE_RETURN_IF_ERROR(SelectProfile());
    WarnAboutNestedBlocks(profile_.config, profile_.config_path);
    WarnAboutNestedBlocks(profile_.credentials, profile_.credentials_path);
    ENVELOPE_RETURN_IF_ERROR(ResolveEndpoint(partitions));
    ENVELOPE_RETURN_IF_ERROR(ResolveRetries());
    ResolveTransport();
    ENVELOPE_RETURN_IF_ERROR(ResolveCredentials());
    return std::move(out_);
  }

 private:
  void Add(std::string name, std::string value, std::string source) {
    out_.settings.push_back(ConfigSetting{std::move(name), std::move(value), std::move(source)});
  }

  // Explicit value > first set variable of `env_names` > the profile's `key`.
  std::optional<Found> Chain(const std::optional<std::string>& code,
                             std::initializer_list<std::string_view> env_names,
                             std::string_view key) const {
    if (code.has_value()) return Found{*code, o_.source_label};
    if (std::optional<Found> f = FromEnv(env_, env_names)) return f;
    return profile_.Get(key);
  }

  Result<std::optional<ConfigFileData>> LoadOne(const std::optional<std::string>& code,
                                                std::string_view var, std::string_view fallback,
                                                std::string_view name, FileKind kind,
                                                std::string& path) {
    std::optional<Found> f = code ? std::optional<Found>(Found{*code, o_.source_label})
                                  : FromEnv(env_, {var});
    if (!f) f = Found{std::string(fallback), "default"};
    f->value = ExpandPath(f->value, env_);
    Add(std::string(name), f->value, f->source);
    path = f->value;
    return LoadConfigFile(f->value, kind);
  }

  Status LoadFiles() {
    ENVELOPE_ASSIGN_OR_RETURN(config_, LoadOne(o_.config_file, "AWS_CONFIG_FILE", "~/.aws/config",
                                               "config_file", FileKind::kConfig,
                                               profile_.config_path));
    ENVELOPE_ASSIGN_OR_RETURN(
        credentials_,
        LoadOne(o_.credentials_file, "AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials",
                "credentials_file", FileKind::kCredentials, profile_.credentials_path));
    return OkStatus();
  }

  Status SelectProfile() {
    std::optional<Found> p =
        o_.profile ? std::optional<Found>(Found{*o_.profile, o_.source_label})
                   : FromEnv(env_, {"AWS_DEFAULT_PROFILE", "AWS_PROFILE"});
    const bool named = p.has_value();
    if (!p) p = Found{"default", "default"};
    profile_.name = p->value;
    if (config_) {
      auto it = config_->profiles.find(p->value);
      if (it != config_->profiles.end()) profile_.config = &it->second;
    }
    if (credentials_) {
      auto it = credentials_->profiles.find(p->value);
      if (it != credentials_->profiles.end()) profile_.credentials = &it->second;
    }
    if (named && profile_.config == nullptr && profile_.credentials == nullptr) {
      return NotFound("The config profile (" + p->value + ") could not be found (named by " +
                      p->source + ")");
    }
    out_.profile = p->value;
    Add("profile", p->value, p->source);
    return OkStatus();
  }

  void WarnAboutNestedBlocks(const ConfigSection* section, const std::string& path) {
    if (section == nullptr) return;
    for (const auto& [key, value] : section->values) {
      if (!value.nested || key == "kms") continue;
      const std::string where =
          profile_.SourceIn(path) + ", line " + std::to_string(value.line) + ": the nested '" +
          key + " =' block";
      out_.warnings.push_back(
          key == "s3" ? where + " applies to S3 only (botocore honours it for s3 and s3-control); "
                                "it does not apply to KMS, use a top-level key or a 'kms =' block"
                      : where + " applies to service '" + key + "', not KMS; ignored");
    }
  }

  bool ResolveBool(const std::optional<bool>& code, std::string_view var, std::string_view key) {
    std::optional<Found> f = Chain(BoolText(code), {var}, key);
    if (!f) {
      Add(std::string(key), "false", "default");
      return false;
    }
    const bool value = ParseAwsBoolean(f->value);
    if (!value && Lower(f->value) != "false") {
      out_.warnings.push_back(std::string(key) + " = '" + f->value + "' from " + f->source +
                              " is not 'true' or 'false': read as false (AWS boolean rules)");
    }
    Add(std::string(key), value ? "true" : "false", f->source);
    return value;
  }

  // endpoint_url: explicit > AWS_ENDPOINT_URL_KMS > AWS_ENDPOINT_URL > [services NAME] kms block
  // > the profile's kms block > the profile's endpoint_url; all but the first can be switched off.
  Result<std::optional<Found>> ConfiguredEndpoint() {
    const bool ignore = ResolveBool(o_.ignore_configured_endpoint_urls,
                                    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
                                    "ignore_configured_endpoint_urls");
    if (o_.endpoint_url) return std::optional<Found>(Found{*o_.endpoint_url, o_.source_label});
    if (ignore) return std::optional<Found>();
    if (std::optional<Found> f = FromEnv(env_, {"AWS_ENDPOINT_URL_KMS", "AWS_ENDPOINT_URL"})) {
      return f;
    }
    if (std::optional<Found> services = profile_.Get("services")) {
      const ConfigSection* section = nullptr;
      if (config_) {
        auto it = config_->services.find(services->value);
        if (it != config_->services.end()) section = &it->second;
      }
      if (section == nullptr) {
        return InvalidArgument("The profile is configured to use the services section but the \"" +
                               services->value + "\" services configuration does not exist (" +
                               services->source + ")");
      }
      auto kms = section->values.find("kms");
      if (kms != section->values.end() && kms->second.nested) {
        auto url = kms->second.sub_values.find("endpoint_url");
        if (url != kms->second.sub_values.end() && !url->second.empty()) {
          return std::optional<Found>(Found{url->second, "services " + services->value + " in " +
                                                             profile_.config_path +
                                                             " (kms = block)"});
        }
      }
    }
    return profile_.Get("endpoint_url");
  }

  Status ResolveEndpoint(std::span<const Partition> partitions) {
    std::optional<Found> region = Chain(o_.region, {"AWS_DEFAULT_REGION", "AWS_REGION"}, "region");
    const std::size_t region_index = out_.settings.size();
    Add("region", region ? region->value : "", region ? region->source : "(none)");
    ENVELOPE_ASSIGN_OR_RETURN(std::optional<Found> custom, ConfiguredEndpoint());
    EndpointParams params;
    params.use_dual_stack = ResolveBool(o_.use_dualstack_endpoint, "AWS_USE_DUALSTACK_ENDPOINT",
                                        "use_dualstack_endpoint");
    params.use_fips =
        ResolveBool(o_.use_fips_endpoint, "AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint");
    if (region) params.region = region->value;
    if (custom) params.endpoint = custom->value;
    if (!region && !custom) {
      Add("endpoint_url", "", "(none: no region)");
      return OkStatus();
    }
    ENVELOPE_ASSIGN_OR_RETURN(ResolvedEndpoint endpoint, ResolveKmsEndpoint(params, partitions));
    if (region && endpoint.region != region->value) {
      out_.settings[region_index].value = endpoint.region;  // FIPS pseudo-region normalised
      out_.settings[region_index].source += " (FIPS pseudo-region)";
    }
    out_.options.endpoint_url = endpoint.url;
    out_.options.region = endpoint.region;
    out_.partition = endpoint.partition;
    for (std::string& w : endpoint.warnings) out_.warnings.push_back(std::move(w));
    Add("endpoint_url", endpoint.url,
        custom ? custom->source : "endpoint rules, partition " + endpoint.partition);
    return OkStatus();
  }

  Status ResolveRetries() {
    if (std::optional<Found> mode = Chain(o_.retry_mode, {"AWS_RETRY_MODE"}, "retry_mode")) {
      Result<RetryMode> parsed = ParseRetryMode(mode->value);
      if (!parsed.ok()) return parsed.status().Annotate("retry_mode from " + mode->source);
      out_.options.retry_mode = *parsed;
      Add("retry_mode", mode->value, mode->source);
    } else {
      Add("retry_mode", std::string(RetryModeName(out_.options.retry_mode)), "default");
    }
    std::optional<std::string> code_attempts;
    if (o_.max_attempts) code_attempts = std::to_string(*o_.max_attempts);
    if (std::optional<Found> f = Chain(code_attempts, {"AWS_MAX_ATTEMPTS"}, "max_attempts")) {
      int n = 0;
      const char* end = f->value.data() + f->value.size();
      auto [ptr, ec] = std::from_chars(f->value.data(), end, n);
      if (ec != std::errc() || ptr != end || n < 1) {
        return InvalidArgument("max_attempts from " + f->source + " must be an integer >= 1 " +
                               "(total attempts, including the first), got '" + f->value + "'");
      }
      out_.options.max_attempts = n;
      Add("max_attempts", f->value, f->source);
    } else {
      const int n = out_.options.retry_mode == RetryMode::kLegacy ? 5 : 3;
      Add("max_attempts", std::to_string(n), "default for retry_mode " +
                                                 std::string(RetryModeName(out_.options.retry_mode)));
    }
    std::optional<Found> v2026 = FromEnv(env_, {"AWS_NEW_RETRIES_2026"});
    out_.options.new_retries_2026 = v2026 && ParseAwsBoolean(v2026->value);
    Add("new_retries_2026", out_.options.new_retries_2026 ? "true" : "false",
        v2026 ? v2026->source : "default");
    return OkStatus();
  }

  void ResolveTransport() {
    std::optional<Found> ca = Chain(o_.ca_bundle, {"AWS_CA_BUNDLE"}, "ca_bundle");
    out_.options.ca_bundle = ca ? ca->value : "";
    Add("ca_bundle", ca ? ca->value : "", ca ? ca->source : "default (system trust store)");
    auto timeout = [&](const std::optional<std::chrono::milliseconds>& code,
                       std::chrono::milliseconds& field, std::string name) {
      if (code) field = *code;
      Add(std::move(name), Millis(field), code ? o_.source_label : "default");
    };
    timeout(o_.connect_timeout, out_.options.connect_timeout, "connect_timeout");
    timeout(o_.read_timeout, out_.options.read_timeout, "read_timeout");
    timeout(o_.operation_timeout, out_.options.operation_timeout, "operation_timeout");
  }

  Status ResolveCredentials() {
    ENVELOPE_ASSIGN_OR_RETURN(std::optional<internal::FoundCredentials> found,
                              internal::FindCredentials(o_.credentials, o_.source_label, env_,
                                                        profile_, o_.profile.has_value()));
    if (!found) {
      Add("aws_access_key_id", "", "(none)");
      Add("aws_secret_access_key", "", "(none)");
      Add("aws_session_token", "", "(none)");
      return OkStatus();
    }
    const std::string& id = found->credentials.access_key_id;
    Add("aws_access_key_id", "****" + id.substr(id.size() > 4 ? id.size() - 4 : 0), found->source);
    Add("aws_secret_access_key", "[redacted]", found->source);
    const bool token = !found->credentials.session_token.empty();
    Add("aws_session_token", token ? "[redacted]" : "", token ? found->source : "(none)");
    out_.options.credentials = std::move(found->credentials);
    out_.has_credentials = true;
    return OkStatus();
  }

  const ConfigOverrides& o_;
  const Environment& env_;
  std::optional<ConfigFileData> config_;
  std::optional<ConfigFileData> credentials_;
  ProfileView profile_;
  ResolvedConfig out_;
};

}  // namespace

Status ResolvedConfig::Complete() const {
  if (options.endpoint_url.empty() || options.region.empty()) {
    return InvalidArgument(
        "Invalid Configuration: Missing Region (set --region, AWS_DEFAULT_REGION, AWS_REGION "
        "or region in profile " + profile + ")");
  }
  if (!has_credentials) {
    return Status(Code::kUnauthenticated,
                  "Unable to locate credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
                  "or aws_access_key_id and aws_secret_access_key in profile " + profile);
  }
  return OkStatus();
}

Result<ResolvedConfig> ResolveConfig(const ConfigOverrides& overrides, const Environment& env,
                                     std::span<const Partition> partitions) {
  return Resolver(overrides, env).Run(partitions);
}

Result<ClientOptions> ResolveClientOptions(const ConfigOverrides& overrides,
                                           const Environment& env, ResolvedConfig* report) {
  ENVELOPE_ASSIGN_OR_RETURN(ResolvedConfig resolved, ResolveConfig(overrides, env));
  Status complete = resolved.Complete();
  ClientOptions options = std::move(resolved.options);
  if (report != nullptr) {
    *report = std::move(resolved);
    report->options = ClientOptions{};  // the caller gets the options (and the secret) once
  }
  if (!complete.ok()) return complete;
  return options;
}

std::string FormatConfigReport(const ResolvedConfig& config) {
  std::size_t name_width = 0;
  std::size_t value_width = 0;
  for (const ConfigSetting& s : config.settings) {
    name_width = std::max(name_width, s.name.size());
    value_width = std::max(value_width, std::max<std::size_t>(s.value.size(), 6));
  }
  std::string out;
  for (const ConfigSetting& s : config.settings) {
    const std::string value = s.value.empty() ? "<not set>" : s.value;
    out += s.name + std::string(name_width - s.name.size() + 2, ' ') + value +
           std::string(value_width + 2 - std::min(value.size(), value_width + 1), ' ') + s.source +
           "\n";
  }
  for (const std::string& w : config.warnings) out += "warning: " + w + "\n";
  return out;
}

}  // namespace envelope::kms::config
