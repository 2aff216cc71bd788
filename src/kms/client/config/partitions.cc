#include "kms/client/config/partitions.h"

#include <regex>
#include <string>

namespace envelope::kms::config {
namespace {

// Spec: shared/reference/kms-client.md §4.1 (partitions.json, version 1.1). All 8 partitions
// support FIPS and dual-stack in this data.
constexpr Partition kPartitions[] = {
    {"aws", R"(^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$)", "amazonaws.com", "api.aws", true, true,
     "us-east-1"},
    {"aws-cn", R"(^cn\-\w+\-\d+$)", "amazonaws.com.cn", "api.amazonwebservices.com.cn", true, true,
     "cn-northwest-1"},
    {"aws-eusc", R"(^eusc\-(de)\-\w+\-\d+$)", "amazonaws.eu", "api.amazonwebservices.eu", true,
     true, "eusc-de-east-1"},
    {"aws-iso", R"(^us\-iso\-\w+\-\d+$)", "c2s.ic.gov", "api.aws.ic.gov", true, true,
     "us-iso-east-1"},
    {"aws-iso-b", R"(^us\-isob\-\w+\-\d+$)", "sc2s.sgov.gov", "api.aws.scloud", true, true,
     "us-isob-east-1"},
    {"aws-iso-e", R"(^eu\-isoe\-\w+\-\d+$)", "cloud.adc-e.uk", "api.cloud-aws.adc-e.uk", true,
     true, "eu-isoe-west-1"},
    {"aws-iso-f", R"(^us\-isof\-\w+\-\d+$)", "csp.hci.ic.gov", "api.aws.hci.ic.gov", true, true,
     "us-isof-south-1"},
    {"aws-us-gov", R"(^us\-gov\-\w+\-\d+$)", "amazonaws.com", "api.aws", true, true,
     "us-gov-west-1"},
};

}  // namespace

std::span<const Partition> KmsPartitions() { return kPartitions; }

const Partition& FindPartition(std::span<const Partition> table, std::string_view region) {
  const std::string r(region);
  for (const Partition& p : table) {
    // Compiled per call: resolution happens once per client, and tables may be caller-supplied.
    if (std::regex_match(r, std::regex(std::string(p.region_regex)))) {
      return p;
    }
  }
  return table.front();
}

}  // namespace envelope::kms::config
