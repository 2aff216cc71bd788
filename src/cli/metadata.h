#pragma once
// --metadata-output: one JSON object per message, one line each.
#include <cstdint>
#include <memory>
#include <string>

#include "envelope/envelope.h"

namespace envelope::cli {

struct MessageRecord {
  std::string mode;  // "encrypt" or "decrypt"
  std::string input;
  std::string output;
  const MessageInfo* info = nullptr;  // must be set
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;
};

// The JSON line (no trailing newline): mode, input, output, suite {name, id}, message_id (hex),
// version, framed, frame_length, encryption_context, encrypted_data_keys [{provider_id,
// provider_info, provider_info_encoding: "utf-8" | "base64"}], bytes_in, bytes_out.
std::string MetadataLine(const MessageRecord& record);

// True when `bytes` is valid UTF-8 without control characters, so it can be shown as text.
bool IsPrintableUtf8(std::span<const std::uint8_t> bytes);

// Appends lines to a file (truncated when opened) or to stdout for "-". Not thread-safe.
class MetadataWriter {
 public:
  // IoError when the file cannot be created.
  static Result<std::unique_ptr<MetadataWriter>> Open(const std::string& path);
  ~MetadataWriter();
  Status Write(const MessageRecord& record);

 private:
  MetadataWriter(int fd, bool owned, std::string path)
      : fd_(fd), owned_(owned), path_(std::move(path)) {}
  int fd_;
  bool owned_;
  std::string path_;
};

}  // namespace envelope::cli
