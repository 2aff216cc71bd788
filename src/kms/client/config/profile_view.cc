#include "kms/client/config/profile_view.h"

namespace envelope::kms::config::internal {
namespace {

const ConfigValue* KmsBlock(const ConfigSection* section) {
  if (section == nullptr) return nullptr;
  auto it = section->values.find("kms");
  if (it == section->values.end() || !it->second.nested) return nullptr;
  return &it->second;
}

}  // namespace

std::optional<Found> ProfileView::GetFrom(const ConfigSection* section, const std::string& path,
                                          std::string_view key) const {
  if (section == nullptr) return std::nullopt;
  std::optional<std::string> v = section->Get(key);
  if (!v || v->empty()) return std::nullopt;
  return Found{*v, SourceIn(path)};
}

std::optional<Found> ProfileView::Get(std::string_view key) const {
  const ConfigValue* block = KmsBlock(credentials);
  const std::string* block_path = &credentials_path;
  if (block == nullptr) {
    block = KmsBlock(config);
    block_path = &config_path;
  }
  if (block != nullptr) {
    auto it = block->sub_values.find(std::string(key));
    if (it != block->sub_values.end() && !it->second.empty()) {
      return Found{it->second, SourceIn(*block_path) + " (kms = block)"};
    }
  }
  if (std::optional<Found> f = GetFrom(credentials, credentials_path, key)) return f;
  return GetFrom(config, config_path, key);
}

std::optional<Found> FromEnv(const Environment& env,
                             std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    std::optional<std::string> v = env(name);
    if (v && !v->empty()) return Found{*v, "env " + std::string(name)};
  }
  return std::nullopt;
}

}  // namespace envelope::kms::config::internal
