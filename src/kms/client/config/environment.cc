#include "kms/client/config/environment.h"

#include <cctype>
#include <cstdlib>
#include <utility>

namespace envelope::kms::config {
namespace {

bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string Lookup(const Environment& env, std::string_view name) {
  std::optional<std::string> v = env(name);
  return v.value_or("");
}

}  // namespace

Environment ProcessEnvironment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

Environment MapEnvironment(std::map<std::string, std::string, std::less<>> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

std::string ExpandPath(std::string_view path, const Environment& env) {
  std::string out;
  if (path == "~" || path.substr(0, 2) == "~/") {
    out = Lookup(env, "HOME");
    path.remove_prefix(1);
  }
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] != '$' || i + 1 >= path.size()) {
      out += path[i];
      continue;
    }
    if (path[i + 1] == '{') {
      const std::size_t close = path.find('}', i + 2);
      if (close == std::string_view::npos) {
        out += path.substr(i);  // unterminated: kept literally, like os.path.expandvars
        break;
      }
      std::optional<std::string> v = env(path.substr(i + 2, close - i - 2));
      out += v ? *v : std::string(path.substr(i, close - i + 1));
      i = close;
      continue;
    }
    std::size_t end = i + 1;
    while (end < path.size() && IsNameChar(path[end])) ++end;
    if (end == i + 1) {
      out += '$';
      continue;
    }
    std::optional<std::string> v = env(path.substr(i + 1, end - i - 1));
    out += v ? *v : std::string(path.substr(i, end - i));
    i = end - 1;
  }
  return out;
}

}  // namespace envelope::kms::config
