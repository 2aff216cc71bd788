#include "kms/server/quota_json_scan.h"

#include <nlohmann/json.hpp>

namespace envelope::kms::server {
namespace {

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool Consume(char c) {
    SkipSpace();
    if (pos_ >= text_.size() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }
  char Peek() {
    SkipSpace();
    return pos_ < text_.size() ? text_[pos_] : '\0';
  }
  // A string literal starting at the current '"': its raw inside (escapes kept).
  std::optional<std::string_view> RawString(bool* escaped) {
    if (!Consume('"')) return std::nullopt;
    const std::size_t start = pos_;
    *escaped = false;
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == '"') return text_.substr(start, pos_ - 1 - start);
      if (c == '\\') {
        *escaped = true;
        ++pos_;
      }
    }
    return std::nullopt;
  }
  // Skips one value of any kind. False on malformed text.
  bool SkipValue() {
    const char c = Peek();
    bool escaped = false;
    if (c == '"') return RawString(&escaped).has_value();
    if (c == '{' || c == '[') return SkipNested();
    while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '}' &&
           text_[pos_] != ']') {
      ++pos_;
    }
    return pos_ < text_.size();
  }

 private:
  bool SkipNested() {
    int depth = 0;
    bool escaped = false;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '"') {
        if (!RawString(&escaped)) return false;
        continue;
      }
      ++pos_;
      if (c == '{' || c == '[') ++depth;
      if ((c == '}' || c == ']') && --depth == 0) return true;
    }
    return false;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

std::optional<std::string> Unescape(std::string_view raw) {
  std::string literal;
  literal.reserve(raw.size() + 2);
  literal.push_back('"');
  literal.append(raw);
  literal.push_back('"');
  nlohmann::json parsed = nlohmann::json::parse(literal, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_string()) return std::nullopt;
  return parsed.get<std::string>();
}

}  // namespace

std::optional<std::string> TopLevelJsonString(std::string_view json, std::string_view name) {
  Scanner s(json);
  if (!s.Consume('{')) return std::nullopt;
  if (s.Peek() == '}') return std::nullopt;
  for (;;) {
    bool key_escaped = false;
    std::optional<std::string_view> key = s.RawString(&key_escaped);
    if (!key || !s.Consume(':')) return std::nullopt;
    if (!key_escaped && *key == name) {
      if (s.Peek() != '"') return std::nullopt;
      bool escaped = false;
      std::optional<std::string_view> value = s.RawString(&escaped);
      if (!value) return std::nullopt;
      return escaped ? Unescape(*value) : std::optional<std::string>(std::string(*value));
    }
    if (!s.SkipValue()) return std::nullopt;
    if (!s.Consume(',')) return std::nullopt;
  }
}

}  // namespace envelope::kms::server
