// QuotaConfig::FromConfigJson: the "quotas" section of the server config file.
#include <nlohmann/json.hpp>

#include "kms/server/quota_engine.h"

namespace envelope::kms::server {
namespace {

using nlohmann::json;

Status Bad(const std::string& where, const std::string& what) {
  return InvalidArgument("quotas" + where + ": " + what);
}

Result<double> NonNegative(const json& v, const std::string& where) {
  if (!v.is_number()) return Bad(where, "must be a number");
  const double d = v.get<double>();
  if (!(d >= 0)) return Bad(where, "must not be negative");
  return d;
}

Result<std::string> String(const json& v, const std::string& where) {
  if (!v.is_string()) return Bad(where, "must be a string");
  return v.get<std::string>();
}

Result<QuotaOverride> ParseOverride(const json& o, const std::string& where) {
  if (!o.is_object()) return Bad(where, "must be an object");
  QuotaOverride out;
  bool has_value = false;
  for (const auto& [name, v] : o.items()) {
    if (name == "quota") {
      ENVELOPE_ASSIGN_OR_RETURN(std::string q, String(v, where + ".quota"));
      const QuotaDef* def = FindQuota(q);
      if (def == nullptr) return Bad(where + ".quota", "unknown quota \"" + q + "\"");
      out.quota = std::string(def->id);
    } else if (name == "account") {
      ENVELOPE_ASSIGN_OR_RETURN(out.account, String(v, where + ".account"));
    } else if (name == "region") {
      ENVELOPE_ASSIGN_OR_RETURN(out.region, String(v, where + ".region"));
    } else if (name == "value") {
      ENVELOPE_ASSIGN_OR_RETURN(out.value, NonNegative(v, where + ".value"));
      has_value = true;
    } else {
      return Bad(where, "unknown member \"" + name + "\"");
    }
  }
  if (out.quota.empty()) return Bad(where, "\"quota\" is required");
  if (!has_value) return Bad(where, "\"value\" is required");
  return out;
}

Status ParseMember(const std::string& name, const json& v, QuotaConfig& c) {
  const std::string where = "." + name;
  if (name == "enabled" || name == "count_failed_requests") {
    if (!v.is_boolean()) return Bad(where, "must be true or false");
    (name == "enabled" ? c.enabled : c.count_failed_requests) = v.get<bool>();
  } else if (name == "edition") {
    ENVELOPE_ASSIGN_OR_RETURN(std::string e, String(v, where));
    ENVELOPE_ASSIGN_OR_RETURN(c.edition, ParseQuotaEdition(e));
  } else if (name == "scale") {
    ENVELOPE_ASSIGN_OR_RETURN(c.scale, NonNegative(v, where));
  } else if (name == "overrides") {
    if (!v.is_array()) return Bad(where, "must be an array");
    for (std::size_t i = 0; i < v.size(); ++i) {
      ENVELOPE_ASSIGN_OR_RETURN(QuotaOverride o,
                                ParseOverride(v[i], where + "[" + std::to_string(i) + "]"));
      c.overrides.push_back(std::move(o));
    }
  } else if (name == "aws_owned_keys") {
    if (!v.is_array()) return Bad(where, "must be an array of key ids");
    for (const json& k : v) {
      ENVELOPE_ASSIGN_OR_RETURN(std::string id, String(k, where + "[]"));
      c.aws_owned_keys.insert(std::move(id));
    }
  } else {
    return Bad("", "unknown member \"" + name + "\"");
  }
  return OkStatus();
}

}  // namespace

Result<QuotaConfig> QuotaConfig::FromConfigJson(std::string_view file_json) {
  QuotaConfig config;
  json doc = json::parse(file_json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return InvalidArgument("the config file is not a JSON object");
  }
  auto it = doc.find("quotas");
  if (it == doc.end()) return config;
  if (!it->is_object()) return Bad("", "must be an object");
  for (const auto& [name, v] : it->items()) {
    ENVELOPE_RETURN_IF_ERROR(ParseMember(name, v, config));
  }
  return config;
}

}  // namespace envelope::kms::server
