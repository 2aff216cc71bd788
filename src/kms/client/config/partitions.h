#pragma once
// AWS partition data for KMS endpoint resolution, compiled in. Written for this project from the
// facts of botocore's partitions.json (HEAD, file version 1.1, last changed 2026-01-15), listed in
// shared/reference/kms-client.md §4.1. Spec: docs/config.md#endpoints.
//
// Dual-stack and FIPS support are data, not code: the resolver asks the partition's flags, so a
// table in which a partition lacks dual-stack (as aws-iso and aws-iso-b did before 2025-09) gives
// the rule set's "does not support DualStack" error without any name list.
#include <span>
#include <string_view>

namespace envelope::kms::config {

struct Partition {
  std::string_view id;                      // "aws", "aws-cn", ...
  std::string_view region_regex;            // ECMAScript, as partitions.json writes it
  std::string_view dns_suffix;              // "amazonaws.com"
  std::string_view dual_stack_dns_suffix;   // "api.aws"
  bool supports_fips = false;
  bool supports_dual_stack = false;
  std::string_view implicit_global_region;  // informational
};

// The 8 partitions in partitions.json order (aws first: the fallback for unknown regions).
std::span<const Partition> KmsPartitions();

// botocore's aws.partition: the first partition, in table order, whose region regex matches
// `region`; with no match, the first partition of the table. `table` must not be empty.
const Partition& FindPartition(std::span<const Partition> table, std::string_view region);

}  // namespace envelope::kms::config
