#include "kms/client/config/endpoint_resolver.h"

#include <arpa/inet.h>

#include <cctype>
#include <regex>
#include <string>

namespace envelope::kms::config {
namespace {

// Rule-set error strings. Spec: shared/reference/kms-client.md §4.2 (copied exactly).
constexpr char kFipsCustom[] = "Invalid Configuration: FIPS and custom endpoint are not supported";
constexpr char kDualStackCustom[] =
    "Invalid Configuration: Dualstack and custom endpoint are not supported";
constexpr char kMissingRegion[] = "Invalid Configuration: Missing Region";
constexpr char kNoFipsAndDualStack[] =
    "FIPS and DualStack are enabled, but this partition does not support one or both";
constexpr char kNoFips[] = "FIPS is enabled but this partition does not support FIPS";
constexpr char kNoDualStack[] = "DualStack is enabled but this partition does not support DualStack";

Status BadEndpoint(std::string_view url) {
  return InvalidArgument("Invalid endpoint: " + std::string(url));
}

bool ValidPort(std::string_view port) {
  if (port.empty() || port.size() > 5) return false;
  int value = 0;
  for (char c : port) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    value = value * 10 + (c - '0');
  }
  return value >= 1 && value <= 65535;
}

bool ValidHostName(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  for (char c : host) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '_') {
      return false;
    }
  }
  return host.front() != '.' && host.front() != '-';
}

// botocore utils.validate_region_name: the region must be usable as one DNS label.
bool ValidRegionLabel(const std::string& region) {
  static const std::regex kLabel("^[a-zA-Z0-9](?:[a-zA-Z0-9\\-]{0,61}[a-zA-Z0-9])?$");
  return std::regex_match(region, kLabel);
}

// "us-east-1-fips" / "fips-us-east-1" -> "us-east-1" (botocore _normalize_fips_region).
std::optional<std::string> StripFipsPseudoRegion(std::string_view region) {
  if (region.size() > 5 && region.substr(0, 5) == "fips-") return std::string(region.substr(5));
  if (region.size() > 5 && region.substr(region.size() - 5) == "-fips") {
    return std::string(region.substr(0, region.size() - 5));
  }
  return std::nullopt;
}

Result<std::string> PartitionUrl(const Partition& p, const std::string& region, bool fips,
                                 bool dual_stack) {
  const std::string_view suffix = dual_stack ? p.dual_stack_dns_suffix : p.dns_suffix;
  if (fips && dual_stack && !(p.supports_fips && p.supports_dual_stack)) {
    return InvalidArgument(kNoFipsAndDualStack);
  }
  if (fips && !p.supports_fips) return InvalidArgument(kNoFips);
  if (dual_stack && !p.supports_dual_stack) return InvalidArgument(kNoDualStack);
  return std::string(fips ? "https://kms-fips." : "https://kms.") + region + "." +
         std::string(suffix);
}

}  // namespace

Status ValidateEndpointUrl(std::string_view url) {
  const std::size_t sep = url.find("://");
  if (sep == std::string_view::npos) return BadEndpoint(url);
  std::string scheme(url.substr(0, sep));
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "http" && scheme != "https") return BadEndpoint(url);
  std::string_view rest = url.substr(sep + 3);
  const std::size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return BadEndpoint(url);
    std::string literal(authority.substr(1, close - 1));
    const std::size_t zone = literal.find('%');  // a zone id ("%25eth0" in URLs) as curl allows
    if (zone != std::string::npos) {
      if (zone + 1 >= literal.size()) return BadEndpoint(url);
      literal.resize(zone);
    }
    in6_addr addr{};
    if (inet_pton(AF_INET6, literal.c_str(), &addr) != 1) return BadEndpoint(url);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return BadEndpoint(url);
      port = after.substr(1);
      if (!ValidPort(port)) return BadEndpoint(url);
    }
    return OkStatus();
  }
  const std::size_t colon = authority.find(':');
  if (colon != std::string_view::npos) {
    port = authority.substr(colon + 1);
    authority = authority.substr(0, colon);
    if (!ValidPort(port)) return BadEndpoint(url);
  }
  if (!ValidHostName(authority)) return BadEndpoint(url);
  return OkStatus();
}

Result<ResolvedEndpoint> ResolveKmsEndpoint(const EndpointParams& params,
                                            std::span<const Partition> table) {
  ResolvedEndpoint out;
  out.fips = params.use_fips;
  std::string region = params.region.value_or("");
  if (std::optional<std::string> stripped = StripFipsPseudoRegion(region)) {
    out.warnings.push_back("region '" + region + "' is a FIPS pseudo-region: using region '" +
                           *stripped + "' with use_fips_endpoint = true");
    region = *stripped;
    out.fips = true;
  }
  out.region = region;
  if (params.endpoint.has_value()) {
    if (out.fips) return InvalidArgument(kFipsCustom);
    if (params.use_dual_stack) return InvalidArgument(kDualStackCustom);
    ENVELOPE_RETURN_IF_ERROR(ValidateEndpointUrl(*params.endpoint));
    out.url = *params.endpoint;
    return out;
  }
  if (region.empty()) return InvalidArgument(kMissingRegion);
  if (!ValidRegionLabel(region)) {
    return InvalidArgument("Provided region_name '" + region + "' doesn't match a supported format.");
  }
  if (table.empty()) return Internal("endpoint resolution: empty partition table");
  const Partition& partition = FindPartition(table, region);
  out.partition = std::string(partition.id);
  ENVELOPE_ASSIGN_OR_RETURN(out.url,
                            PartitionUrl(partition, region, out.fips, params.use_dual_stack));
  return out;
}

}  // namespace envelope::kms::config
