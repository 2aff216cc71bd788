#include "kms/api/arn.h"

#include <array>
#include <cctype>
#include <vector>

#include "core/encoding.h"
#include "core/random.h"
#include "kms/api/errors.h"

namespace envelope::kms {
namespace {

bool IsHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
bool IsLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

std::vector<std::string_view> Split(std::string_view s, char sep, std::size_t max_parts) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < max_parts) {
    auto pos = s.find(sep);
    if (pos == std::string_view::npos) break;
    parts.push_back(s.substr(0, pos));
    s.remove_prefix(pos + 1);
  }
  parts.push_back(s);
  return parts;
}

Status BadArn(std::string_view text) {
  return InvalidArnError("ARN " + std::string(text) + " is not a valid KMS key or alias ARN.");
}

}  // namespace

bool IsUuid(std::string_view t) {
  if (t.size() != 36) return false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? t[i] != '-' : !IsHex(t[i])) return false;
  }
  return true;
}

bool IsMultiRegionKeyId(std::string_view t) {
  if (t.size() != 36 || t.substr(0, 4) != "mrk-") return false;
  for (char c : t.substr(4)) {
    if (!IsLowerHex(c)) return false;
  }
  return true;
}

bool IsValidKeyId(std::string_view t) { return IsUuid(t) || IsMultiRegionKeyId(t); }

bool IsValidAccountId(std::string_view t) {
  if (t.size() != 12) return false;
  for (char c : t) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

Result<KeyIdentifier> ParseKeyArn(std::string_view text) {
  // arn:PARTITION:kms:REGION:ACCOUNT:RESOURCE
  std::vector<std::string_view> p = Split(text, ':', 6);
  if (p.size() != 6 || p[0] != "arn" || p[1].empty() || p[2] != "kms" || p[3].empty() ||
      !IsValidAccountId(p[4])) {
    return BadArn(text);
  }
  KeyIdentifier id;
  id.partition = p[1];
  id.region = p[3];
  id.account_id = p[4];
  std::string_view resource = p[5];
  if (resource.substr(0, 4) == "key/") {
    id.kind = KeyIdKind::kKeyArn;
    id.key_id = resource.substr(4);
    if (!IsValidKeyId(id.key_id)) return BadArn(text);
    return id;
  }
  if (resource.substr(0, 6) == "alias/" && resource.size() > 6) {
    id.kind = KeyIdKind::kAliasArn;
    id.alias_name = resource;
    return id;
  }
  return BadArn(text);
}

Result<KeyIdentifier> ParseKeyIdentifier(std::string_view text) {
  if (text.substr(0, 4) == "arn:") return ParseKeyArn(text);
  KeyIdentifier id;
  if (text.substr(0, 6) == "alias/") {
    id.kind = KeyIdKind::kAliasName;
    id.alias_name = text;
    return id;
  }
  if (!IsValidKeyId(text)) return NotFoundError("Invalid keyId '" + std::string(text) + "'");
  id.kind = KeyIdKind::kKeyId;
  id.key_id = text;
  return id;
}

std::string KeyArn(std::string_view partition, std::string_view region, std::string_view account,
                   std::string_view key_id) {
  std::string s = "arn:";
  s.append(partition).append(":kms:").append(region).append(":").append(account);
  s.append(":key/").append(key_id);
  return s;
}

std::string AliasArn(std::string_view partition, std::string_view region, std::string_view account,
                     std::string_view alias_name) {
  std::string s = "arn:";
  s.append(partition).append(":kms:").append(region).append(":").append(account);
  s.append(":").append(alias_name);
  return s;
}

std::string AccountRootArn(std::string_view partition, std::string_view account) {
  std::string s = "arn:";
  s.append(partition).append(":iam::").append(account).append(":root");
  return s;
}

std::string PartitionForRegion(std::string_view region) {
  auto starts = [&](std::string_view p) { return region.substr(0, p.size()) == p; };
  if (starts("cn-")) return "aws-cn";
  if (starts("us-gov-")) return "aws-us-gov";
  if (starts("us-isob-")) return "aws-iso-b";
  if (starts("us-isof-")) return "aws-iso-f";
  if (starts("us-iso-")) return "aws-iso";
  if (starts("eu-isoe-")) return "aws-iso-e";
  return "aws";
}

Result<std::string> NewKeyId(Random& random, bool multi_region) {
  std::array<std::uint8_t, 16> b{};
  ENVELOPE_RETURN_IF_ERROR(random.Fill(b));
  if (multi_region) return "mrk-" + HexEncode(b);
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  std::string hex = HexEncode(b);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

}  // namespace envelope::kms
