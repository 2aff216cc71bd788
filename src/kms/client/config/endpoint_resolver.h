#pragma once
// KMS endpoint resolution: botocore's KMS endpoint rule set (kms/2014-11-01/endpoint-rule-set-1)
// over the partition data of partitions.h. Spec: docs/config.md#endpoints and
// shared/reference/kms-client.md §4.2. Error messages are the rule set's, exactly.
//
// Decision order:
//   1. A custom endpoint: with FIPS -> "Invalid Configuration: FIPS and custom endpoint are not
//      supported"; with dual-stack -> "Invalid Configuration: Dualstack and custom endpoint are not
//      supported"; otherwise the endpoint itself (validated; IPv6 literals like http://[::1]:4599
//      are accepted). Unlike botocore, which silently drops the flags, we report the conflict.
//   2. A region: its partition, then kms-fips./kms. + region + dual-stack or plain DNS suffix, or
//      the rule set's "partition does not support" errors, decided by the partition's flags.
//   3. No region: "Invalid Configuration: Missing Region".
// FIPS pseudo-regions ("us-east-1-fips", "fips-us-east-1") become the region with FIPS on, plus
// a warning, as botocore does. Pure; thread-safe.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "envelope/result.h"
#include "kms/client/config/partitions.h"

namespace envelope::kms::config {

struct EndpointParams {
  std::optional<std::string> region;
  bool use_dual_stack = false;
  bool use_fips = false;
  std::optional<std::string> endpoint;  // a custom endpoint_url, already chosen by precedence
};

struct ResolvedEndpoint {
  std::string url;        // "https://kms.us-east-1.amazonaws.com" or the custom endpoint
  std::string region;     // the signing region after FIPS pseudo-region normalisation ("" if none)
  std::string partition;  // partition id; "" for a custom endpoint
  bool fips = false;      // FIPS in effect (a pseudo-region may turn it on)
  std::vector<std::string> warnings;
};

// Errors: kInvalidArgument with the rule set's messages above, "Provided region_name 'R' doesn't
// match a supported format." for a region that is not a valid DNS label, or "Invalid endpoint: U"
// for a malformed custom endpoint.
Result<ResolvedEndpoint> ResolveKmsEndpoint(const EndpointParams& params,
                                            std::span<const Partition> table = KmsPartitions());

// Checks an endpoint URL: http or https, a host name, IPv4 or bracketed IPv6 literal, an optional
// port 1-65535, then nothing or a path/query. Errors: kInvalidArgument "Invalid endpoint: U".
Status ValidateEndpointUrl(std::string_view url);

}  // namespace envelope::kms::config
