#include "kms/client/config/config_file.h"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>

#include <openssl/crypto.h>

namespace envelope::kms::config {
namespace {

// Zeroes a string's buffer: file text can hold aws_secret_access_key.
void Cleanse(std::string& s) {
  if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
}

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// One option as read: its first line's value plus continuation lines, each with its line number.
struct RawOption {
  std::string key;
  int line = 0;
  std::vector<std::pair<std::string, int>> lines;
};

struct RawSection {
  std::string header;
  int line = 0;
  std::vector<RawOption> options;
};

Status LineError(std::string_view path, int line, std::string_view what) {
  return InvalidArgument(std::string(path) + ":" + std::to_string(line) + ": " + std::string(what));
}

// Reads lines into sections the way Python's RawConfigParser (strict, default delimiters and
// comment prefixes, empty lines allowed in values) does, so files botocore accepts parse the same.
class Reader {
 public:
  explicit Reader(std::string_view path) : path_(path) {}

  Status Line(std::string_view line, int lineno) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string_view value = Trim(line);
    if (!value.empty() && (value.front() == '#' || value.front() == ';')) {
      return OkStatus();  // comments never end or extend a value
    }
    if (value.empty()) {
      if (option_ != nullptr) option_->lines.emplace_back("", lineno);
      return OkStatus();
    }
    std::size_t indent = 0;
    while (IsSpace(line[indent])) ++indent;  // value is non-empty, so this stops in the line
    if (option_ != nullptr && indent > indent_) {
      option_->lines.emplace_back(std::string(value), lineno);
      return OkStatus();
    }
    indent_ = indent;
    const std::size_t close = value.rfind(']');
    if (value.front() == '[' && close != std::string_view::npos && close >= 2) {
      return Header(value.substr(1, close - 1), lineno);
    }
    if (sections_.empty()) return LineError(path_, lineno, "key before any [section] header");
    return Option(value, lineno);
  }

  std::vector<RawSection> Take() { return std::move(sections_); }

 private:
  Status Header(std::string_view header, int lineno) {
    for (const RawSection& s : sections_) {
      if (s.header == header) {
        return LineError(path_, lineno,
                         "duplicate section [" + std::string(header) + "] (first at line " +
                             std::to_string(s.line) + ")");
      }
    }
    sections_.push_back(RawSection{std::string(header), lineno, {}});
    option_ = nullptr;
    return OkStatus();
  }

  Status Option(std::string_view text, int lineno) {
    const std::size_t delim = text.find_first_of("=:");
    if (delim == std::string_view::npos) {
      return LineError(path_, lineno, "expected 'key = value' or a [section] header, got '" +
                                          std::string(text) + "'");
    }
    std::string key = Lower(Trim(text.substr(0, delim)));
    if (key.empty()) return LineError(path_, lineno, "missing key before '='");
    RawSection& section = sections_.back();
    for (const RawOption& o : section.options) {
      if (o.key == key) {
        return LineError(path_, lineno,
                         "duplicate key '" + key + "' in section [" + section.header +
                             "] (first at line " + std::to_string(o.line) + ")");
      }
    }
    section.options.push_back(RawOption{key, lineno, {}});
    section.options.back().lines.emplace_back(std::string(Trim(text.substr(delim + 1))), lineno);
    option_ = &section.options.back();
    return OkStatus();
  }

  std::string_view path_;
  std::vector<RawSection> sections_;
  RawOption* option_ = nullptr;  // the option continuation lines attach to; null after a header
  std::size_t indent_ = 0;
};

// Joins an option's lines as configparser does ('\n', trailing whitespace removed) and turns a
// value that starts with a newline into a one-level nested block (botocore _parse_nested).
Result<ConfigValue> BuildValue(const RawOption& raw, std::string_view path) {
  std::string joined;
  for (std::size_t i = 0; i < raw.lines.size(); ++i) {
    if (i > 0) joined += '\n';
    joined += raw.lines[i].first;
  }
  while (!joined.empty() && IsSpace(joined.back())) joined.pop_back();
  ConfigValue value;
  value.line = raw.line;
  if (joined.empty() || joined.front() != '\n') {
    value.value = std::move(joined);
    return value;
  }
  value.nested = true;
  for (std::size_t i = 1; i < raw.lines.size(); ++i) {
    std::string_view line = raw.lines[i].first;
    if (Trim(line).empty()) continue;
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      return LineError(path, raw.lines[i].second,
                       "line in nested block '" + raw.key + " =' has no '=': '" +
                           std::string(line) + "'");
    }
    value.sub_values[std::string(Trim(line.substr(0, eq)))] = std::string(Trim(line.substr(eq + 1)));
  }
  return value;
}

Result<ConfigSection> BuildSection(const RawSection& raw, std::string_view path) {
  ConfigSection section;
  section.header = raw.header;
  section.line = raw.line;
  for (const RawOption& option : raw.options) {
    ENVELOPE_ASSIGN_OR_RETURN(section.values[option.key], BuildValue(option, path));
  }
  return section;
}

// Files sections under their kind, as botocore's build_profile_map does for the config file.
void FileConfigSection(ConfigSection section, ConfigFileData& out) {
  const std::string& h = section.header;
  auto two_words = [&]() -> std::optional<std::string> {
    std::optional<std::vector<std::string>> parts = ShellSplit(h);
    if (!parts || parts->size() != 2) return std::nullopt;
    return (*parts)[1];
  };
  if (h.rfind("profile", 0) == 0) {
    if (std::optional<std::string> name = two_words()) {
      out.profiles.insert_or_assign(*name, std::move(section));  // later one wins, whole
    }
  } else if (h == "default") {
    out.profiles.insert_or_assign("default", std::move(section));
  } else if (h.rfind("services", 0) == 0) {
    if (std::optional<std::string> name = two_words()) {
      out.services.insert_or_assign(*name, std::move(section));
    }
  } else {
    out.other_sections.push_back(std::move(section));
  }
}

}  // namespace

std::optional<std::string> ConfigSection::Get(std::string_view key) const {
  auto it = values.find(std::string(key));
  if (it == values.end() || it->second.nested) return std::nullopt;
  return it->second.value;
}

Result<ConfigFileData> ParseConfigText(std::string_view text, std::string_view path,
                                       FileKind kind) {
  Reader reader(path);
  int lineno = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ENVELOPE_RETURN_IF_ERROR(reader.Line(line, ++lineno));
  }
  ConfigFileData data;
  data.path = std::string(path);
  std::vector<RawSection> raw_sections = reader.Take();
  Status status;
  for (const RawSection& raw : raw_sections) {
    Result<ConfigSection> section = BuildSection(raw, path);
    if (!section.ok()) {
      status = section.status();
      break;
    }
    if (kind == FileKind::kCredentials) {
      data.profiles.insert_or_assign(section->header, std::move(section).value());
    } else {
      FileConfigSection(std::move(section).value(), data);
    }
  }
  for (RawSection& raw : raw_sections) {
    for (RawOption& option : raw.options) {
      for (auto& line : option.lines) Cleanse(line.first);
    }
  }
  if (!status.ok()) return status;
  return data;
}

Result<std::optional<ConfigFileData>> LoadConfigFile(const std::string& path, FileKind kind) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::optional<ConfigFileData>();
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (!in || !(text << in.rdbuf()) || std::filesystem::is_directory(path, ec)) {
    return Status(Code::kUnavailable, path + ": cannot read the file");
  }
  std::string content = std::move(text).str();
  Result<ConfigFileData> data = ParseConfigText(content, path, kind);
  Cleanse(content);
  if (!data.ok()) return data.status();
  return std::optional<ConfigFileData>(std::move(data).value());
}

void ScrubSecrets(ConfigFileData& data) {
  for (auto& [name, section] : data.profiles) {
    for (auto& [key, value] : section.values) {
      if (key == "aws_secret_access_key" || key == "aws_session_token" ||
          key == "aws_security_token") {
        Cleanse(value.value);
      }
    }
  }
}

bool ParseAwsBoolean(std::string_view text) { return Lower(text) == "true"; }

std::optional<std::vector<std::string>> ShellSplit(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (IsSpace(c)) {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else if (c == '\'') {
      const std::size_t end = text.find('\'', i + 1);
      if (end == std::string_view::npos) return std::nullopt;
      word += text.substr(i + 1, end - i - 1);
      i = end;
      in_word = true;
    } else if (c == '"') {
      for (++i;; ++i) {
        if (i >= text.size()) return std::nullopt;
        if (text[i] == '"') break;
        if (text[i] == '\\' && i + 1 < text.size() &&
            std::string_view("\\\"$`").find(text[i + 1]) != std::string_view::npos) {
          ++i;
        }
        word += text[i];
      }
      in_word = true;
    } else if (c == '\\') {
      if (i + 1 >= text.size()) return std::nullopt;
      word += text[++i];
      in_word = true;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

}  // namespace envelope::kms::config
