// libFuzzer target: the AWS config/credentials file parser must never crash, hang or read out of
// bounds, whatever the bytes. Both file kinds are exercised on the same input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "kms/client/config/config_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  using envelope::kms::config::FileKind;
  for (FileKind kind : {FileKind::kConfig, FileKind::kCredentials}) {
    auto parsed = envelope::kms::config::ParseConfigText(text, "fuzz", kind);
    if (parsed.ok()) {
      for (const auto& [name, section] : parsed->profiles) {
        (void)section.Get("region");
      }
    }
  }
  (void)envelope::kms::config::ShellSplit(text);
  return 0;
}
