#include "kms/client/config/endpoint_resolver.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace envelope::kms::config {
namespace {

std::string Url(std::string region, bool dual_stack, bool fips,
                std::span<const Partition> table = KmsPartitions()) {
  EndpointParams p;
  p.region = std::move(region);
  p.use_dual_stack = dual_stack;
  p.use_fips = fips;
  Result<ResolvedEndpoint> r = ResolveKmsEndpoint(p, table);
  return r.ok() ? r->url : "error: " + r.status().message();
}

struct MatrixRow {
  const char* region;
  const char* plain;
  const char* dual_stack;
  const char* fips;
  const char* fips_dual_stack;
};

// Spec: shared/reference/kms-client.md §4.2 resolution matrix. For eu-isoe-west-1 and
// us-isof-south-1 botocore raises EndpointVariantError from its legacy endpoints.json resolver;
// the rule set over current partition data (which we implement) gives the hosts below.
const MatrixRow kMatrix[] = {
    {"us-east-1", "kms.us-east-1.amazonaws.com", "kms.us-east-1.api.aws",
     "kms-fips.us-east-1.amazonaws.com", "kms-fips.us-east-1.api.aws"},
    {"cn-north-1", "kms.cn-north-1.amazonaws.com.cn", "kms.cn-north-1.api.amazonwebservices.com.cn",
     "kms-fips.cn-north-1.amazonaws.com.cn", "kms-fips.cn-north-1.api.amazonwebservices.com.cn"},
    {"us-gov-west-1", "kms.us-gov-west-1.amazonaws.com", "kms.us-gov-west-1.api.aws",
     "kms-fips.us-gov-west-1.amazonaws.com", "kms-fips.us-gov-west-1.api.aws"},
    {"us-iso-east-1", "kms.us-iso-east-1.c2s.ic.gov", "kms.us-iso-east-1.api.aws.ic.gov",
     "kms-fips.us-iso-east-1.c2s.ic.gov", "kms-fips.us-iso-east-1.api.aws.ic.gov"},
    {"us-isob-east-1", "kms.us-isob-east-1.sc2s.sgov.gov", "kms.us-isob-east-1.api.aws.scloud",
     "kms-fips.us-isob-east-1.sc2s.sgov.gov", "kms-fips.us-isob-east-1.api.aws.scloud"},
    {"eu-isoe-west-1", "kms.eu-isoe-west-1.cloud.adc-e.uk",
     "kms.eu-isoe-west-1.api.cloud-aws.adc-e.uk", "kms-fips.eu-isoe-west-1.cloud.adc-e.uk",
     "kms-fips.eu-isoe-west-1.api.cloud-aws.adc-e.uk"},
    {"us-isof-south-1", "kms.us-isof-south-1.csp.hci.ic.gov",
     "kms.us-isof-south-1.api.aws.hci.ic.gov", "kms-fips.us-isof-south-1.csp.hci.ic.gov",
     "kms-fips.us-isof-south-1.api.aws.hci.ic.gov"},
    {"eusc-de-east-1", "kms.eusc-de-east-1.amazonaws.eu",
     "kms.eusc-de-east-1.api.amazonwebservices.eu", "kms-fips.eusc-de-east-1.amazonaws.eu",
     "kms-fips.eusc-de-east-1.api.amazonwebservices.eu"},
};

TEST(KmsEndpoint, MatrixGivesTheReferenceHostForEveryPartitionAndVariant) {
  for (const MatrixRow& row : kMatrix) {
    SCOPED_TRACE(row.region);
    EXPECT_EQ(Url(row.region, false, false), std::string("https://") + row.plain);
    EXPECT_EQ(Url(row.region, true, false), std::string("https://") + row.dual_stack);
    EXPECT_EQ(Url(row.region, false, true), std::string("https://") + row.fips);
    EXPECT_EQ(Url(row.region, true, true), std::string("https://") + row.fips_dual_stack);
  }
}

TEST(KmsEndpoint, TableHasTheEightPartitionsInFileOrder) {
  std::vector<std::string> ids;
  for (const Partition& p : KmsPartitions()) ids.emplace_back(p.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"aws", "aws-cn", "aws-eusc", "aws-iso", "aws-iso-b",
                                           "aws-iso-e", "aws-iso-f", "aws-us-gov"}));
}

TEST(KmsEndpoint, EachPartitionIsFoundByItsRegionRegex) {
  EXPECT_EQ(FindPartition(KmsPartitions(), "eu-west-1").id, "aws");
  EXPECT_EQ(FindPartition(KmsPartitions(), "cn-northwest-1").id, "aws-cn");
  EXPECT_EQ(FindPartition(KmsPartitions(), "eusc-de-east-1").id, "aws-eusc");
  EXPECT_EQ(FindPartition(KmsPartitions(), "us-iso-west-1").id, "aws-iso");
  EXPECT_EQ(FindPartition(KmsPartitions(), "us-isob-east-1").id, "aws-iso-b");
  EXPECT_EQ(FindPartition(KmsPartitions(), "eu-isoe-west-1").id, "aws-iso-e");
  EXPECT_EQ(FindPartition(KmsPartitions(), "us-isof-east-1").id, "aws-iso-f");
  EXPECT_EQ(FindPartition(KmsPartitions(), "us-gov-east-1").id, "aws-us-gov");
}

TEST(KmsEndpoint, UnknownRegionFallsBackToTheAwsPartition) {
  EXPECT_EQ(Url("xx-foo-1", false, false), "https://kms.xx-foo-1.amazonaws.com");
}

TEST(KmsEndpoint, InvalidRegionIsRejected) {
  EXPECT_EQ(Url("us-east-1/evil", false, false),
            "error: Provided region_name 'us-east-1/evil' doesn't match a supported format.");
  EXPECT_EQ(Url("-bad", false, false),
            "error: Provided region_name '-bad' doesn't match a supported format.");
}

TEST(KmsEndpoint, MissingRegionIsTheRuleSetError) {
  EXPECT_EQ(Url("", false, false), "error: Invalid Configuration: Missing Region");
  EndpointParams p;
  EXPECT_EQ(ResolveKmsEndpoint(p).status().message(), "Invalid Configuration: Missing Region");
}

TEST(KmsEndpoint, FipsPseudoRegionsTurnOnFipsWithAWarning) {
  for (const char* region : {"us-east-1-fips", "fips-us-east-1"}) {
    EndpointParams p;
    p.region = region;
    Result<ResolvedEndpoint> r = ResolveKmsEndpoint(p);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->url, "https://kms-fips.us-east-1.amazonaws.com");
    EXPECT_EQ(r->region, "us-east-1");
    EXPECT_TRUE(r->fips);
    EXPECT_EQ(r->warnings.size(), 1u);
  }
}

// The partitions.json of 2025-08-29: aws-iso and aws-iso-b without dual-stack (the older rule).
std::vector<Partition> TableWithoutIsoDualStack() {
  std::vector<Partition> table(KmsPartitions().begin(), KmsPartitions().end());
  for (Partition& p : table) {
    if (p.id == "aws-iso" || p.id == "aws-iso-b") p.supports_dual_stack = false;
  }
  return table;
}

TEST(KmsEndpoint, PartitionWithoutDualStackGivesTheRuleSetError) {
  const std::vector<Partition> table = TableWithoutIsoDualStack();
  for (const char* region : {"us-iso-east-1", "us-isob-east-1"}) {
    EXPECT_EQ(Url(region, true, false, table),
              "error: DualStack is enabled but this partition does not support DualStack");
    EXPECT_EQ(Url(region, true, true, table),
              "error: FIPS and DualStack are enabled, but this partition does not support one or "
              "both");
  }
  EXPECT_EQ(Url("us-iso-east-1", false, true, table), "https://kms-fips.us-iso-east-1.c2s.ic.gov");
  EXPECT_EQ(Url("eu-isoe-west-1", true, false, table),
            "https://kms.eu-isoe-west-1.api.cloud-aws.adc-e.uk");
}

TEST(KmsEndpoint, PartitionWithoutFipsGivesTheRuleSetError) {
  std::vector<Partition> table(KmsPartitions().begin(), KmsPartitions().end());
  table[0].supports_fips = false;
  EXPECT_EQ(Url("us-east-1", false, true, table),
            "error: FIPS is enabled but this partition does not support FIPS");
  EXPECT_EQ(Url("us-east-1", true, true, table),
            "error: FIPS and DualStack are enabled, but this partition does not support one or "
            "both");
}

TEST(KmsEndpoint, CustomEndpointWinsOverRegion) {
  EndpointParams p;
  p.region = "us-east-1";
  p.endpoint = "http://127.0.0.1:4599";
  Result<ResolvedEndpoint> r = ResolveKmsEndpoint(p);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->url, "http://127.0.0.1:4599");
  EXPECT_EQ(r->region, "us-east-1");
}

TEST(KmsEndpoint, CustomEndpointNeedsNoRegionToResolve) {
  EndpointParams p;
  p.endpoint = "https://kms.example.test";
  EXPECT_TRUE(ResolveKmsEndpoint(p).ok());
}

TEST(KmsEndpoint, DualStackWithCustomEndpointIsTheRuleSetError) {
  EndpointParams p;
  p.region = "us-east-1";
  p.endpoint = "http://127.0.0.1:4599";
  p.use_dual_stack = true;
  EXPECT_EQ(ResolveKmsEndpoint(p).status().message(),
            "Invalid Configuration: Dualstack and custom endpoint are not supported");
}

TEST(KmsEndpoint, FipsWithCustomEndpointIsTheRuleSetError) {
  EndpointParams p;
  p.region = "us-east-1";
  p.endpoint = "http://127.0.0.1:4599";
  p.use_fips = true;
  p.use_dual_stack = true;  // FIPS is checked first
  EXPECT_EQ(ResolveKmsEndpoint(p).status().message(),
            "Invalid Configuration: FIPS and custom endpoint are not supported");
}

TEST(EndpointUrl, Ipv6LiteralsAreAccepted) {
  EXPECT_TRUE(ValidateEndpointUrl("http://[::1]:4599").ok());
  EXPECT_TRUE(ValidateEndpointUrl("https://[2001:db8::1]/").ok());
  EXPECT_TRUE(ValidateEndpointUrl("http://[::ffff:127.0.0.1]:80").ok());
  EXPECT_TRUE(ValidateEndpointUrl("http://[fe80::1%25eth0]:4599").ok());
}

TEST(EndpointUrl, HostsPortsAndPathsAreAccepted) {
  EXPECT_TRUE(ValidateEndpointUrl("https://kms.us-east-1.api.aws").ok());
  EXPECT_TRUE(ValidateEndpointUrl("http://127.0.0.1:4599").ok());
  EXPECT_TRUE(ValidateEndpointUrl("HTTP://localhost:8080/prefix").ok());
}

TEST(EndpointUrl, MalformedUrlsAreRejectedNamingTheUrl) {
  EXPECT_EQ(ValidateEndpointUrl("localhost:4599").message(), "Invalid endpoint: localhost:4599");
  for (const char* bad : {"ftp://h", "http://", "http://[::1", "http://[zz::1]:1", "http://::1:80",
                          "http://h:0", "http://h:65536", "http://h:x", "http://[::1]x", "http://[fe80::1%]:1",
                          "http://a b"}) {
    EXPECT_FALSE(ValidateEndpointUrl(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace envelope::kms::config
