#include "kms/protocol/sigv4.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <map>
#include <utility>

#include "core/bytes.h"
#include "core/encoding.h"
#include "crypto/hash.h"

namespace envelope::kms::protocol {
namespace {

constexpr char kHexUpper[] = "0123456789ABCDEF";

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes %XX escapes; a malformed escape is kept literally (it is then re-encoded as %25XX,
// which is what a client that signed the literal text would have produced).
std::string PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int hi = HexValue(text[i + 1]);
      const int lo = HexValue(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = LowerAscii(c);
  return out;
}

// Trims leading/trailing whitespace and collapses inner runs of spaces and tabs to one space.
std::string TrimAll(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  bool pending_space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

// HMAC-SHA256 whose result is key material: moved into SecretBytes and the temporary wiped.
SecretBytes HmacSecret(ByteView key, std::string_view data) {
  Bytes mac = crypto::Hmac(crypto::HashAlg::kSha256, key, AsBytes(data));
  SecretBytes out(mac);
  OPENSSL_cleanse(mac.data(), mac.size());
  return out;
}

}  // namespace

std::string CredentialScope::ToString() const {
  std::string out;
  out.reserve(date.size() + region.size() + service.size() + 16);
  out.append(date).append("/").append(region).append("/").append(service).append("/aws4_request");
  return out;
}

std::string UriEncode(std::string_view text, bool keep_slash) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (IsUnreserved(c) || (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHexUpper[c >> 4]);
      out.push_back(kHexUpper[c & 0xF]);
    }
  }
  return out;
}

std::string CanonicalUri(std::string_view path) {
  if (path.empty()) return "/";
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  const bool trailing_slash =
      path.back() == '/' || path.ends_with("/.") || path.ends_with("/..");
  std::string normalized = "/";
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) normalized.push_back('/');
    normalized.append(segments[i]);
  }
  if (trailing_slash && !segments.empty()) normalized.push_back('/');
  return UriEncode(normalized, /*keep_slash=*/true);
}

std::string CanonicalQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> params;
  std::size_t start = 0;
  while (start < query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    std::string_view pair = query.substr(start, end - start);
    if (!pair.empty()) {
      const std::size_t eq = pair.find('=');
      std::string_view name = pair.substr(0, eq);
      std::string_view value = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
      params.emplace_back(UriEncode(PercentDecode(name), false),
                          UriEncode(PercentDecode(value), false));
    }
    start = end + 1;
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (i > 0) out.push_back('&');
    out.append(params[i].first).append("=").append(params[i].second);
  }
  return out;
}

std::string CanonicalHeaders(std::span<const HttpHeader> headers,
                             std::span<const std::string> signed_headers) {
  std::map<std::string, std::string> merged;
  for (const HttpHeader& h : headers) {
    std::string name = ToLower(h.name);
    if (!signed_headers.empty() &&
        std::find(signed_headers.begin(), signed_headers.end(), name) == signed_headers.end()) {
      continue;
    }
    auto [it, inserted] = merged.try_emplace(std::move(name), TrimAll(h.value));
    if (!inserted) it->second.append(",").append(TrimAll(h.value));
  }
  std::string out;
  for (const auto& [name, value] : merged) {
    out.append(name).append(":").append(value).append("\n");
  }
  return out;
}

std::string SignedHeaderList(std::span<const HttpHeader> headers) {
  std::vector<std::string> names;
  names.reserve(headers.size());
  for (const HttpHeader& h : headers) names.push_back(ToLower(h.name));
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out.push_back(';');
    out.append(names[i]);
  }
  return out;
}

std::string CanonicalRequest(const SigV4Request& request,
                             std::span<const std::string> signed_headers) {
  std::vector<std::string> sorted(signed_headers.begin(), signed_headers.end());
  std::string signed_list;
  if (sorted.empty()) {
    signed_list = SignedHeaderList(request.headers);
  } else {
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t i = 0; i < sorted.size(); ++i) {
      if (i > 0) signed_list.push_back(';');
      signed_list.append(sorted[i]);
    }
  }
  std::string out;
  out.reserve(256);
  out.append(request.method).append("\n");
  out.append(CanonicalUri(request.path)).append("\n");
  out.append(CanonicalQuery(request.query)).append("\n");
  out.append(CanonicalHeaders(request.headers, signed_headers)).append("\n");
  out.append(signed_list).append("\n");
  out.append(request.payload_sha256_hex);
  return out;
}

std::string StringToSign(std::string_view amz_date, const CredentialScope& scope,
                         std::string_view canonical_request) {
  std::string out(kSigV4Algorithm);
  out.append("\n").append(amz_date).append("\n").append(scope.ToString()).append("\n");
  out.append(HexEncode(crypto::Sha256(AsBytes(canonical_request))));
  return out;
}

SecretBytes DeriveSigningKey(const SecretBytes& secret_access_key, const CredentialScope& scope) {
  SecretBytes seed(4 + secret_access_key.size());
  std::copy_n("AWS4", 4, seed.data());
  std::copy(secret_access_key.span().begin(), secret_access_key.span().end(), seed.data() + 4);
  SecretBytes k_date = HmacSecret(seed.span(), scope.date);
  SecretBytes k_region = HmacSecret(k_date.span(), scope.region);
  SecretBytes k_service = HmacSecret(k_region.span(), scope.service);
  return HmacSecret(k_service.span(), "aws4_request");
}

std::string ComputeSignature(const SecretBytes& signing_key, std::string_view string_to_sign) {
  return HexEncode(crypto::Hmac(crypto::HashAlg::kSha256, signing_key.span(),
                                AsBytes(string_to_sign)));
}

std::string PayloadHash(std::string_view body) { return HexEncode(crypto::Sha256(AsBytes(body))); }

std::string AuthorizationHeader(const SigV4Request& request, const SigV4Credentials& credentials,
                                std::string_view amz_date, std::string_view region,
                                std::string_view service) {
  const CredentialScope scope{std::string(amz_date.substr(0, 8)), std::string(region),
                              std::string(service)};
  const std::string canonical = CanonicalRequest(request, {});
  const SecretBytes key = DeriveSigningKey(credentials.secret_access_key, scope);
  std::string out(kSigV4Algorithm);
  out.append(" Credential=").append(credentials.access_key_id).append("/").append(scope.ToString());
  out.append(", SignedHeaders=").append(SignedHeaderList(request.headers));
  out.append(", Signature=").append(ComputeSignature(key, StringToSign(amz_date, scope, canonical)));
  return out;
}

const std::string* FindHeader(std::span<const HttpHeader> headers, std::string_view name) {
  for (const HttpHeader& h : headers) {
    if (h.name.size() == name.size() &&
        std::equal(h.name.begin(), h.name.end(), name.begin(),
                   [](char a, char b) { return LowerAscii(a) == LowerAscii(b); })) {
      return &h.value;
    }
  }
  return nullptr;
}

}  // namespace envelope::kms::protocol
