#include "tests/vectors/vector_files.h"

#include <cstdlib>
#include <fstream>
#include <iterator>

namespace envelope::testing {

std::optional<std::filesystem::path> EsdkVectorsDir() {
  std::filesystem::path shared;
  if (const char* dir = std::getenv("ENVELOPE_SHARED_DIR")) {
    shared = dir;
  } else if (const char* source = std::getenv("ENVELOPE_SOURCE_DIR")) {
    shared = std::filesystem::path(source) / ".." / "shared";
  } else {
    return std::nullopt;
  }
  auto dir = shared / "vectors" / "esdk";
  if (!std::filesystem::exists(dir / "README.md")) return std::nullopt;
  return dir;
}

Bytes ReadFileBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

nlohmann::json ReadJson(const std::filesystem::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

std::filesystem::path ResolveUri(const std::filesystem::path& dir, const std::string& uri) {
  constexpr std::string_view kPrefix = "file://";
  std::string rest = uri.starts_with(kPrefix) ? uri.substr(kPrefix.size()) : uri;
  return dir / rest;
}

}  // namespace envelope::testing
