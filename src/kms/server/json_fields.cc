#include "kms/server/json_fields.h"

#include "core/encoding.h"
#include "kms/api/errors.h"

namespace envelope::kms::server {
namespace {

Status Constraint(std::string_view value_part, std::string_view label, std::string_view what) {
  std::string m = "1 validation error detected: ";
  m.append(value_part).append(" at '").append(label);
  m.append("' failed to satisfy constraint: ").append(what);
  return ValidationError(std::move(m));
}

std::string Quoted(std::string_view v) { return "Value '" + std::string(v) + "'"; }

Status WrongType(std::string_view name, std::string_view type) {
  return SerializationError("Field " + std::string(name) + " must be " + std::string(type));
}

}  // namespace

std::string Label(std::string_view name) {
  std::string s(name);
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

Status LengthViolation(std::string_view value, std::string_view label, std::size_t bound,
                       bool max) {
  return Constraint(Quoted(value), label,
                    std::string("Member must have length ") +
                        (max ? "less than or equal to " : "greater than or equal to ") +
                        std::to_string(bound));
}

Status SecretLengthViolation(std::string_view label, std::size_t bound, bool max) {
  return Constraint("Value", label,
                    std::string("Member must have length ") +
                        (max ? "less than or equal to " : "greater than or equal to ") +
                        std::to_string(bound));
}

Status RangeViolation(std::int64_t value, std::string_view label, std::int64_t bound, bool max) {
  return Constraint(Quoted(std::to_string(value)), label,
                    std::string("Member must have value ") +
                        (max ? "less than or equal to " : "greater than or equal to ") +
                        std::to_string(bound));
}

Status EnumViolation(std::string_view value, std::string_view label,
                     const std::vector<std::string_view>& allowed) {
  std::string set = "Member must satisfy enum value set: [";
  for (std::size_t i = 0; i < allowed.size(); ++i) {
    if (i > 0) set += ", ";
    set.append(allowed[i]);
  }
  return Constraint(Quoted(value), label, set + "]");
}

Status PatternViolation(std::string_view value, std::string_view label, std::string_view pattern) {
  return Constraint(Quoted(value), label,
                    "Member must satisfy regular expression pattern: " + std::string(pattern));
}

Status ValidationErrorNull(std::string_view name) {
  return Constraint("Value null", Label(name), "Member must not be null");
}

Result<Json> ParseRequestBody(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return Json::object();
  Json doc = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return SerializationError("Request body is not valid JSON");
  if (!doc.is_object()) return SerializationError("Request body must be a JSON object");
  return doc;
}

const Json* RequestReader::Find(std::string_view name) const {
  auto it = body_.find(name);
  if (it == body_.end() || it->is_null()) return nullptr;
  return &*it;
}

Result<std::optional<std::string>> RequestReader::OptString(std::string_view name,
                                                            std::size_t min_len,
                                                            std::size_t max_len) const {
  const Json* v = Find(name);
  if (v == nullptr) return std::optional<std::string>();
  if (!v->is_string()) return WrongType(name, "a string");
  const std::string& s = v->get_ref<const std::string&>();
  if (s.size() < min_len) return LengthViolation(s, Label(name), min_len, false);
  if (s.size() > max_len) return LengthViolation(s, Label(name), max_len, true);
  return std::optional<std::string>(s);
}

Result<std::string> RequestReader::String(std::string_view name, std::size_t min_len,
                                          std::size_t max_len) const {
  ENVELOPE_ASSIGN_OR_RETURN(auto s, OptString(name, min_len, max_len));
  if (!s) {
    return ValidationErrorNull(name);
  }
  return *std::move(s);
}

Result<std::optional<std::string>> RequestReader::OptEnum(
    std::string_view name, const std::vector<std::string_view>& allowed) const {
  ENVELOPE_ASSIGN_OR_RETURN(auto s, OptString(name));
  if (!s) return s;
  for (std::string_view a : allowed) {
    if (*s == a) return s;
  }
  return EnumViolation(*s, Label(name), allowed);
}

Result<std::optional<std::int64_t>> RequestReader::OptInt(std::string_view name, std::int64_t min,
                                                          std::int64_t max) const {
  const Json* v = Find(name);
  if (v == nullptr) return std::optional<std::int64_t>();
  if (!v->is_number_integer()) return WrongType(name, "an integer");
  std::int64_t n = v->is_number_unsigned() && v->get<std::uint64_t>() > INT64_MAX
                       ? INT64_MAX
                       : v->get<std::int64_t>();
  if (n < min) return RangeViolation(n, Label(name), min, false);
  if (n > max) return RangeViolation(n, Label(name), max, true);
  return std::optional<std::int64_t>(n);
}

Result<std::optional<bool>> RequestReader::OptBool(std::string_view name) const {
  const Json* v = Find(name);
  if (v == nullptr) return std::optional<bool>();
  if (!v->is_boolean()) return WrongType(name, "a boolean");
  return std::optional<bool>(v->get<bool>());
}

Result<std::optional<Bytes>> RequestReader::OptBlob(std::string_view name, std::size_t min_len,
                                                    std::size_t max_len) const {
  const Json* v = Find(name);
  if (v == nullptr) return std::optional<Bytes>();
  if (!v->is_string()) return WrongType(name, "a base64 string");
  auto bytes = Base64Decode(v->get_ref<const std::string&>());
  if (!bytes.ok()) return SerializationError("Field " + std::string(name) + " is not valid base64");
  if (bytes->size() < min_len) return SecretLengthViolation(Label(name), min_len, false);
  if (bytes->size() > max_len) return SecretLengthViolation(Label(name), max_len, true);
  return std::optional<Bytes>(std::move(*bytes));
}

Result<Bytes> RequestReader::Blob(std::string_view name, std::size_t min_len,
                                  std::size_t max_len) const {
  ENVELOPE_ASSIGN_OR_RETURN(auto b, OptBlob(name, min_len, max_len));
  if (!b) return Constraint("Value null", Label(name), "Member must not be null");
  return *std::move(b);
}

Result<EncryptionContext> RequestReader::StringMap(std::string_view name) const {
  EncryptionContext out;
  const Json* v = Find(name);
  if (v == nullptr) return out;
  if (!v->is_object()) return WrongType(name, "a map of strings");
  for (auto it = v->begin(); it != v->end(); ++it) {
    const Json& value = it.value();
    if (value.is_string()) {
      out[it.key()] = value.get<std::string>();
    } else if (value.is_number() || value.is_boolean()) {
      out[it.key()] = value.dump();
    } else {
      return WrongType(name, "a map of strings");
    }
  }
  return out;
}

Result<std::vector<std::string>> RequestReader::StringList(std::string_view name,
                                                           std::size_t max_items,
                                                           std::size_t item_min,
                                                           std::size_t item_max) const {
  std::vector<std::string> out;
  const Json* v = Find(name);
  if (v == nullptr) return out;
  if (!v->is_array()) return WrongType(name, "a list of strings");
  if (v->size() > max_items) {
    return Constraint("Value", Label(name),
                      "Member must have length less than or equal to " + std::to_string(max_items));
  }
  for (const Json& item : *v) {
    if (!item.is_string()) return WrongType(name, "a list of strings");
    const std::string& s = item.get_ref<const std::string&>();
    if (s.size() < item_min) return LengthViolation(s, Label(name), item_min, false);
    if (s.size() > item_max) return LengthViolation(s, Label(name), item_max, true);
    out.push_back(s);
  }
  return out;
}

Result<std::vector<std::string>> RequestReader::GrantTokens() const {
  return StringList("GrantTokens", 10, 1, 8192);
}

Result<Page> Paginate(const std::vector<std::string>& keys, std::optional<std::int64_t> limit,
                      const std::optional<std::string>& marker, std::int64_t default_limit) {
  Page page;
  if (marker) {
    auto last = Base64Decode(*marker);
    if (!last.ok() || last->empty()) return InvalidMarkerError("Invalid marker: " + *marker);
    std::string after(AsChars(*last));
    page.begin = static_cast<std::size_t>(
        std::upper_bound(keys.begin(), keys.end(), after) - keys.begin());
  }
  std::size_t n = static_cast<std::size_t>(limit.value_or(default_limit));
  page.end = std::min(keys.size(), page.begin + n);
  page.truncated = page.end < keys.size();
  if (page.truncated) page.next_marker = Base64Encode(AsBytes(keys[page.end - 1]));
  return page;
}

Result<std::pair<std::optional<std::int64_t>, std::optional<std::string>>> ReadPaging(
    const RequestReader& r) {
  ENVELOPE_ASSIGN_OR_RETURN(auto limit, r.OptInt("Limit", 1, 1000));
  ENVELOPE_ASSIGN_OR_RETURN(auto marker, r.OptString("Marker", 1, 1024));
  return std::make_pair(limit, marker);
}

}  // namespace envelope::kms::server
