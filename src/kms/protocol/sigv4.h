#pragma once
// AWS Signature Version 4 (header-based, AWS4-HMAC-SHA256) as pure functions: nothing here reads
// the clock, the network or the environment, so the AWS signing test suite replays exactly.
// Shared by the KMS client (signing) and the local KMS server (verification).
//
// Spec: docs/kms-server.md#authentication and the AWS "Signature Version 4 signing process".
#include <chrono>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "envelope/result.h"
#include "envelope/secret_bytes.h"

namespace envelope::kms::protocol {

class SigningKeyCache;  // kms/protocol/signing_key_cache.h

inline constexpr std::string_view kSigV4Algorithm = "AWS4-HMAC-SHA256";

struct HttpHeader {
  std::string name;  // any case; canonicalisation lower-cases it
  std::string value;
};

// One HTTP request as the signer sees it. Borrowed views: the caller keeps them alive.
struct SigV4Request {
  std::string_view method;  // "POST"
  std::string_view path;    // as on the wire, e.g. "/" (percent-escapes are encoded again)
  std::string_view query;   // without '?', as on the wire; may be empty
  std::span<const HttpHeader> headers;
  std::string_view payload_sha256_hex;  // lower-case hex SHA-256 of the body
};

struct SigV4Credentials {
  std::string access_key_id;
  SecretBytes secret_access_key;  // the 40-character secret, as bytes
  std::string session_token;      // empty when none
};

// The scope a signature is valid for: DATE/REGION/SERVICE/aws4_request.
struct CredentialScope {
  std::string date;  // yyyymmdd
  std::string region;
  std::string service;
  std::string ToString() const;  // "20150830/us-east-1/service/aws4_request"
};

// --- The canonicalisation steps, exposed so that tests can check each one. ---

// RFC 3986 percent-encoding of everything but A-Z a-z 0-9 - _ . ~ (and '/' when keep_slash),
// with upper-case hex digits.
std::string UriEncode(std::string_view text, bool keep_slash);
// Removes "." and ".." segments and empty segments ("//"), keeps a trailing '/', then encodes.
std::string CanonicalUri(std::string_view path);
// Decodes then re-encodes each name and value, sorts by name then value, joins with '&'.
std::string CanonicalQuery(std::string_view query);
// Lower-cased names; values trimmed with inner runs of spaces collapsed; repeated names joined
// with ','; sorted by name. Only the headers named in `signed_headers` (lower-case) are kept;
// an empty `signed_headers` keeps them all. Each line ends with '\n'.
std::string CanonicalHeaders(std::span<const HttpHeader> headers,
                             std::span<const std::string> signed_headers);
// The sorted, lower-cased, de-duplicated header names joined with ';'.
std::string SignedHeaderList(std::span<const HttpHeader> headers);
std::string CanonicalRequest(const SigV4Request& request,
                             std::span<const std::string> signed_headers);
std::string StringToSign(std::string_view amz_date, const CredentialScope& scope,
                         std::string_view canonical_request);
// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
SecretBytes DeriveSigningKey(const SecretBytes& secret_access_key, const CredentialScope& scope);
// Lower-case hex HMAC-SHA256(signing_key, string_to_sign).
std::string ComputeSignature(const SecretBytes& signing_key, std::string_view string_to_sign);
std::string PayloadHash(std::string_view body);  // lower-case hex SHA-256

// --- Time. ---

// "20150830T123600Z" for a UTC time (seconds precision).
std::string FormatAmzDate(std::chrono::system_clock::time_point time);
// Parses "yyyymmddThhmmssZ". Errors: kInvalidArgument.
Result<std::chrono::sys_seconds> ParseAmzDate(std::string_view text);

// --- Signing (client side). ---

// The Authorization header value for `request` signed with every header it carries (so the
// caller adds host, x-amz-date and, with a session token, x-amz-security-token first).
std::string AuthorizationHeader(const SigV4Request& request, const SigV4Credentials& credentials,
                                std::string_view amz_date, std::string_view region,
                                std::string_view service);

// --- Parsing and verification (server side). ---

struct ParsedAuthorization {
  std::string access_key_id;
  CredentialScope scope;
  std::vector<std::string> signed_headers;  // lower-case, in the order given
  std::string signature;                    // 64 lower-case hex digits
};

// Parses "AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request,
// SignedHeaders=a;b, Signature=hex". Strict: exactly those three components once each.
// Errors: kUnauthenticated with error_type "IncompleteSignatureException" and a message naming
// what is wrong.
Result<ParsedAuthorization> ParseAuthorization(std::string_view header);

inline constexpr std::chrono::minutes kMaxClockSkew{5};

// Checks `auth` against `request`: X-Amz-Date present (IncompleteSignatureException otherwise),
// within kMaxClockSkew of `now` and on the credential scope's date, `host` signed, the scope's
// service equal to `expected_service` (when not empty), and the recomputed signature equal
// (constant time). Mismatches: kUnauthenticated, error_type "InvalidSignatureException".
// With a `signing_keys` cache, the derived signing key comes from (and goes to) it.
Status VerifySignature(const SigV4Request& request, const ParsedAuthorization& auth,
                       const SecretBytes& secret_access_key, std::string_view expected_service,
                       std::chrono::system_clock::time_point now,
                       SigningKeyCache* signing_keys = nullptr);

// The value of the first header named `name` (case-insensitive), or nullptr.
const std::string* FindHeader(std::span<const HttpHeader> headers, std::string_view name);

}  // namespace envelope::kms::protocol
