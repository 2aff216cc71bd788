#pragma once
// Reading KMS JSON request fields with the service's error semantics: a wrong JSON type is a
// SerializationException; a constraint violation is a ValidationException worded like KMS
// ("1 validation error detected: Value 'x' at 'keyId' failed to satisfy constraint: ...").
// nlohmann::json never throws out of these functions.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/bytes.h"
#include "envelope/result.h"
#include "kms/api/types.h"

namespace envelope::kms::server {

using Json = nlohmann::json;

// Parses a request body. An empty body is {}. SerializationException for invalid JSON or a
// non-object document.
Result<Json> ParseRequestBody(std::string_view body);

// Constraint messages, for validations done outside the reader.
Status LengthViolation(std::string_view value, std::string_view label, std::size_t bound, bool max);
Status SecretLengthViolation(std::string_view label, std::size_t bound, bool max);
Status RangeViolation(std::int64_t value, std::string_view label, std::int64_t bound, bool max);
Status EnumViolation(std::string_view value, std::string_view label,
                     const std::vector<std::string_view>& allowed);
// "1 validation error detected: Value null at 'label' ... Member must not be null".
Status ValidationErrorNull(std::string_view name);
Status PatternViolation(std::string_view value, std::string_view label, std::string_view pattern);

// `name` is the JSON member ("KeyId"); error messages use the lower-camel label ("keyId").
class RequestReader {
 public:
  explicit RequestReader(const Json& body) : body_(body) {}

  Result<std::optional<std::string>> OptString(std::string_view name, std::size_t min_len = 0,
                                               std::size_t max_len = SIZE_MAX) const;
  Result<std::string> String(std::string_view name, std::size_t min_len = 1,
                             std::size_t max_len = SIZE_MAX) const;
  // Enumerations: the value must be in `allowed`.
  Result<std::optional<std::string>> OptEnum(std::string_view name,
                                             const std::vector<std::string_view>& allowed) const;
  Result<std::optional<std::int64_t>> OptInt(std::string_view name, std::int64_t min,
                                             std::int64_t max) const;
  Result<std::optional<bool>> OptBool(std::string_view name) const;
  // Base64 blob: SerializationException for bad base64; length bounds on the decoded bytes.
  Result<std::optional<Bytes>> OptBlob(std::string_view name, std::size_t min_len,
                                       std::size_t max_len) const;
  Result<Bytes> Blob(std::string_view name, std::size_t min_len, std::size_t max_len) const;
  // String-to-string map; numbers and booleans are taken as their JSON text.
  Result<EncryptionContext> StringMap(std::string_view name) const;
  Result<std::vector<std::string>> StringList(std::string_view name, std::size_t max_items,
                                              std::size_t item_min, std::size_t item_max) const;
  // GrantTokens: at most 10 tokens of 1..8192 characters.
  Result<std::vector<std::string>> GrantTokens() const;
  const Json* Find(std::string_view name) const;

 private:
  const Json& body_;
};

// "KeyId" -> "keyId".
std::string Label(std::string_view name);

// Pagination over a sorted list of item keys. The marker is opaque to clients (base64 of the last
// key returned); InvalidMarkerException when it does not decode.
struct Page {
  std::size_t begin = 0;
  std::size_t end = 0;
  bool truncated = false;
  std::optional<std::string> next_marker;
};
Result<Page> Paginate(const std::vector<std::string>& sorted_keys,
                      std::optional<std::int64_t> limit, const std::optional<std::string>& marker,
                      std::int64_t default_limit);
// Reads Limit (1..1000) and Marker (1..1024) from a request.
Result<std::pair<std::optional<std::int64_t>, std::optional<std::string>>> ReadPaging(
    const RequestReader& r);

}  // namespace envelope::kms::server
