#pragma once
// KMS key and alias identifiers: key ids, key ARNs, alias names and alias ARNs.
//
//   key id     1234abcd-12ab-34cd-56ef-1234567890ab (UUID) or mrk-<32 lowercase hex>
//   key ARN    arn:PARTITION:kms:REGION:ACCOUNT:key/KEY_ID
//   alias name alias/NAME
//   alias ARN  arn:PARTITION:kms:REGION:ACCOUNT:alias/NAME
#include <string>
#include <string_view>

#include "envelope/result.h"

namespace envelope {
class Random;
}

namespace envelope::kms {

enum class KeyIdKind { kKeyId, kKeyArn, kAliasName, kAliasArn };

struct KeyIdentifier {
  KeyIdKind kind = KeyIdKind::kKeyId;
  std::string partition;   // ARN forms only
  std::string region;      // ARN forms only
  std::string account_id;  // ARN forms only
  std::string key_id;      // kKeyId, kKeyArn
  std::string alias_name;  // kAliasName, kAliasArn: "alias/NAME"

  bool is_alias() const { return kind == KeyIdKind::kAliasName || kind == KeyIdKind::kAliasArn; }
  bool is_arn() const { return kind == KeyIdKind::kKeyArn || kind == KeyIdKind::kAliasArn; }
};

// Parses any of the four forms accepted in a KMS `KeyId` field.
// Errors: NotFoundException ("Invalid keyId ...") for a bare id that is neither a UUID nor an mrk id;
// InvalidArnException for an "arn:" string that is not a KMS key or alias ARN.
Result<KeyIdentifier> ParseKeyIdentifier(std::string_view text);

// Parses "arn:PARTITION:kms:REGION:ACCOUNT:key/ID" only. Errors: InvalidArnException.
Result<KeyIdentifier> ParseKeyArn(std::string_view text);

bool IsUuid(std::string_view text);               // lowercase or uppercase hex, 8-4-4-4-12
bool IsMultiRegionKeyId(std::string_view text);   // "mrk-" + 32 lowercase hex
bool IsValidKeyId(std::string_view text);         // either of the above
bool IsValidAccountId(std::string_view text);     // 12 digits

std::string KeyArn(std::string_view partition, std::string_view region, std::string_view account,
                   std::string_view key_id);
std::string AliasArn(std::string_view partition, std::string_view region, std::string_view account,
                     std::string_view alias_name);
// "arn:PARTITION:iam::ACCOUNT:root", the principal that names a whole account in policies.
std::string AccountRootArn(std::string_view partition, std::string_view account);

// "aws", "aws-cn" (cn-*), "aws-us-gov" (us-gov-*), "aws-iso" (us-iso-*), "aws-iso-b" (us-isob-*),
// "aws-iso-e" (eu-isoe-*), "aws-iso-f" (us-isof-*).
std::string PartitionForRegion(std::string_view region);

// A fresh key id: a random UUID v4, or "mrk-" + 32 hex for a multi-Region key.
Result<std::string> NewKeyId(Random& random, bool multi_region);

}  // namespace envelope::kms
