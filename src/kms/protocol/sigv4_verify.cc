// Server side of SigV4: parsing the Authorization header and verifying a signature.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

#include "core/bytes.h"
#include "crypto/hash.h"
#include "kms/protocol/signing_key_cache.h"
#include "kms/protocol/sigv4.h"

namespace envelope::kms::protocol {
namespace {

using std::chrono::sys_seconds;

constexpr std::string_view kIncomplete = "IncompleteSignatureException";
constexpr std::string_view kInvalid = "InvalidSignatureException";
constexpr std::size_t kMaxComponentLength = 4096;  // bounds the work on hostile input

Status AuthError(std::string_view type, std::string message) {
  return Status(Code::kUnauthenticated, std::move(message), std::string(type));
}

Status Incomplete(std::string message) { return AuthError(kIncomplete, std::move(message)); }

bool IsDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool IsLowerHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// Access key ids, regions and services: ASCII letters, digits and '-'/'_'.
bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

// HTTP header names in the lower case SigV4 requires (RFC 9110 tchar, minus upper case).
bool IsLowerHeaderName(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                    c == '.' || c == '!' || c == '#' || c == '$' || c == '%' || c == '&' ||
                    c == '\'' || c == '*' || c == '+' || c == '^' || c == '`' || c == '|' ||
                    c == '~';
    if (!ok) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Status ParseCredential(std::string_view value, ParsedAuthorization& out) {
  std::string_view parts[5];
  std::size_t count = 0;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = value.find('/', start);
    if (count == 5) return Incomplete("Credential has more than five '/'-separated parts.");
    parts[count++] = value.substr(start, slash == std::string_view::npos ? slash : slash - start);
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  if (count != 5) {
    return Incomplete("Credential must have the form AKID/yyyymmdd/region/service/aws4_request.");
  }
  if (!IsToken(parts[0])) return Incomplete("Credential has an invalid access key id.");
  if (parts[1].size() != 8 || !IsDigits(parts[1])) {
    return Incomplete("Credential date must be yyyymmdd.");
  }
  if (!IsToken(parts[2])) return Incomplete("Credential should be scoped to a valid region.");
  if (!IsToken(parts[3])) return Incomplete("Credential should be scoped to a valid service.");
  if (parts[4] != "aws4_request") {
    return Incomplete("Credential should be scoped with a valid terminator: 'aws4_request'.");
  }
  out.access_key_id = std::string(parts[0]);
  out.scope = {std::string(parts[1]), std::string(parts[2]), std::string(parts[3])};
  return OkStatus();
}

Status ParseSignedHeaders(std::string_view value, ParsedAuthorization& out) {
  std::size_t start = 0;
  while (true) {
    const std::size_t semi = value.find(';', start);
    std::string_view name = value.substr(start, semi == std::string_view::npos ? semi : semi - start);
    if (!IsLowerHeaderName(name)) {
      return Incomplete("SignedHeaders must be lower-case header names separated by ';'.");
    }
    out.signed_headers.emplace_back(name);
    if (semi == std::string_view::npos) break;
    start = semi + 1;
  }
  return OkStatus();
}

// Parses one "Name=Value" component into `out`; `seen` tracks duplicates (bit per name).
Status ParseComponent(std::string_view component, unsigned& seen, ParsedAuthorization& out) {
  const std::size_t eq = component.find('=');
  if (eq == std::string_view::npos) {
    return Incomplete("Authorization header component '" +
                      std::string(component.substr(0, 64)) + "' is not of the form Name=Value.");
  }
  const std::string_view name = component.substr(0, eq);
  const std::string_view value = component.substr(eq + 1);
  unsigned bit = 0;
  if (name == "Credential") bit = 1;
  if (name == "SignedHeaders") bit = 2;
  if (name == "Signature") bit = 4;
  if (bit == 0) {
    return Incomplete("Authorization header has an unknown component '" +
                      std::string(name.substr(0, 64)) + "'.");
  }
  if (seen & bit) return Incomplete("Authorization header repeats '" + std::string(name) + "'.");
  seen |= bit;
  if (bit == 1) return ParseCredential(value, out);
  if (bit == 2) return ParseSignedHeaders(value, out);
  if (value.size() != 64 || !IsLowerHex(value)) {
    return Incomplete("Signature must be 64 lower-case hex digits.");
  }
  out.signature = std::string(value);
  return OkStatus();
}

std::string FormatSeconds(sys_seconds t) { return FormatAmzDate(t); }

}  // namespace

std::string FormatAmzDate(std::chrono::system_clock::time_point time) {
  const auto secs = std::chrono::floor<std::chrono::seconds>(time);
  const auto days = std::chrono::floor<std::chrono::days>(secs);
  const std::chrono::year_month_day ymd(days);
  const std::chrono::hh_mm_ss hms(secs - days);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%04d%02u%02uT%02d%02d%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

Result<sys_seconds> ParseAmzDate(std::string_view text) {
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z' || !IsDigits(text.substr(0, 8)) ||
      !IsDigits(text.substr(9, 6))) {
    return InvalidArgument("X-Amz-Date must have the form yyyymmddThhmmssZ");
  }
  auto num = [&](std::size_t pos, std::size_t len) {
    int v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) v = v * 10 + (text[i] - '0');
    return v;
  };
  const std::chrono::year_month_day ymd{std::chrono::year(num(0, 4)),
                                        std::chrono::month(static_cast<unsigned>(num(4, 2))),
                                        std::chrono::day(static_cast<unsigned>(num(6, 2)))};
  const int h = num(9, 2), m = num(11, 2), s = num(13, 2);
  if (!ymd.ok() || h > 23 || m > 59 || s > 59) {
    return InvalidArgument("X-Amz-Date is not a valid UTC time");
  }
  return std::chrono::sys_days(ymd) + std::chrono::hours(h) + std::chrono::minutes(m) +
         std::chrono::seconds(s);
}

Result<ParsedAuthorization> ParseAuthorization(std::string_view header) {
  if (header.size() > kMaxComponentLength) return Incomplete("Authorization header is too long.");
  const std::size_t space = header.find(' ');
  const std::string_view algorithm = header.substr(0, space);
  if (algorithm != kSigV4Algorithm) {
    return Incomplete("Unsupported AWS 'algorithm': '" + std::string(algorithm.substr(0, 64)) +
                      "'; expected AWS4-HMAC-SHA256.");
  }
  if (space == std::string_view::npos) {
    return Incomplete("Authorization header requires 'Credential' parameter.");
  }
  ParsedAuthorization out;
  unsigned seen = 0;
  std::string_view rest = header.substr(space + 1);
  while (true) {
    const std::size_t comma = rest.find(',');
    const std::string_view component = Trim(rest.substr(0, comma));
    ENVELOPE_RETURN_IF_ERROR(ParseComponent(component, seen, out));
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  if (!(seen & 1)) return Incomplete("Authorization header requires 'Credential' parameter.");
  if (!(seen & 2)) return Incomplete("Authorization header requires 'SignedHeaders' parameter.");
  if (!(seen & 4)) return Incomplete("Authorization header requires 'Signature' parameter.");
  return out;
}

Status VerifySignature(const SigV4Request& request, const ParsedAuthorization& auth,
                       const SecretBytes& secret_access_key, std::string_view expected_service,
                       std::chrono::system_clock::time_point now,
                       SigningKeyCache* signing_keys) {
  const std::string* amz_date = FindHeader(request.headers, "x-amz-date");
  if (amz_date == nullptr) {
    return Incomplete("Authorization header requires existence of a 'X-Amz-Date' header.");
  }
  Result<sys_seconds> signed_at = ParseAmzDate(*amz_date);
  if (!signed_at.ok()) return Incomplete(signed_at.status().message());
  if (std::find(auth.signed_headers.begin(), auth.signed_headers.end(), "host") ==
      auth.signed_headers.end()) {
    return Incomplete("'Host' must be a 'SignedHeader' in the AWS Authorization.");
  }
  const auto now_s = std::chrono::floor<std::chrono::seconds>(now);
  if (*signed_at < now_s - kMaxClockSkew) {
    return AuthError(kInvalid, "Signature expired: " + *amz_date + " is now earlier than " +
                                   FormatSeconds(now_s - kMaxClockSkew) + " (" +
                                   FormatSeconds(now_s) + " - 5 min.)");
  }
  if (*signed_at > now_s + kMaxClockSkew) {
    return AuthError(kInvalid, "Signature not yet current: " + *amz_date +
                                   " is still later than " + FormatSeconds(now_s + kMaxClockSkew) +
                                   " (" + FormatSeconds(now_s) + " + 5 min.)");
  }
  if (auth.scope.date != std::string_view(*amz_date).substr(0, 8)) {
    return AuthError(kInvalid, "Date in Credential scope does not match YYYYMMDD from ISO-8601 "
                               "version of date from HTTP: '" + auth.scope.date + "' != '" +
                                   amz_date->substr(0, 8) + "', from '" + *amz_date + "'.");
  }
  if (!expected_service.empty() && auth.scope.service != expected_service) {
    return AuthError(kInvalid, "Credential should be scoped to correct service: '" +
                                   std::string(expected_service) + "'.");
  }
  const std::string canonical = CanonicalRequest(request, auth.signed_headers);
  const SecretBytes key =
      signing_keys ? signing_keys->Get(auth.access_key_id, secret_access_key, auth.scope)
                   : DeriveSigningKey(secret_access_key, auth.scope);
  const std::string expected = ComputeSignature(key, StringToSign(*amz_date, auth.scope, canonical));
  if (!crypto::ConstantTimeEquals(AsBytes(expected), AsBytes(auth.signature))) {
    return AuthError(kInvalid,
                     "The request signature we calculated does not match the signature you "
                     "provided. Check your AWS Secret Access Key and signing method. Consult the "
                     "service documentation for details.");
  }
  return OkStatus();
}

}  // namespace envelope::kms::protocol
