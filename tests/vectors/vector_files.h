#pragma once
// Locating and loading the shared test vectors (../shared/vectors/esdk beside the repository,
// or $ENVELOPE_SHARED_DIR/vectors/esdk).
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/bytes.h"

namespace envelope::testing {

// The vectors directory, or nullopt when absent (the caller skips loudly).
std::optional<std::filesystem::path> EsdkVectorsDir();
Bytes ReadFileBytes(const std::filesystem::path& path);
nlohmann::json ReadJson(const std::filesystem::path& path);
// Resolves a manifest URI such as "file://ciphertexts/abc" against the manifest's directory.
std::filesystem::path ResolveUri(const std::filesystem::path& dir, const std::string& uri);

}  // namespace envelope::testing
