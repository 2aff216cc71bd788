#pragma once
// Internal to kms_config: the selected profile seen through both shared files, and the search of
// one setting along the precedence chain. Not part of the module's API.
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "kms/client/config/config_file.h"
#include "kms/client/config/environment.h"

namespace envelope::kms::config::internal {

// A value and where it came from, e.g. {"eu-west-1", "env AWS_DEFAULT_REGION"}.
struct Found {
  std::string value;
  std::string source;
};

// The selected profile: its section in the config file and in the credentials file (either may
// be absent). Borrowed pointers into ConfigFileData that must outlive the view.
struct ProfileView {
  std::string name;
  const ConfigSection* config = nullptr;
  std::string config_path;
  const ConfigSection* credentials = nullptr;
  std::string credentials_path;

  // `key` from the profile: the nested `kms =` block (credentials file's if it has one, else the
  // config file's), then the credentials file section, then the config file section (credentials
  // keys override config keys, as botocore merges them).
  std::optional<Found> Get(std::string_view key) const;
  // The plain key from one file only.
  std::optional<Found> GetFrom(const ConfigSection* section, const std::string& path,
                               std::string_view key) const;
  std::string SourceIn(const std::string& path) const { return "profile " + name + " in " + path; }
};

// The first variable in `names` that is set and non-empty, with source "env NAME".
std::optional<Found> FromEnv(const Environment& env, std::initializer_list<std::string_view> names);

}  // namespace envelope::kms::config::internal
