#include "cli/metadata.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>

#include "cli/exit_codes.h"
#include "cli/file_io.h"
#include "core/bytes.h"
#include "core/encoding.h"

namespace envelope::cli {
namespace {

// Length of the UTF-8 sequence starting with `lead`, or 0 when `lead` cannot start one.
int SequenceLength(std::uint8_t lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

std::string SuiteId(AlgorithmSuite suite) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "0x%04X", static_cast<unsigned>(suite));
  return buf;
}

}  // namespace

bool IsPrintableUtf8(std::span<const std::uint8_t> bytes) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    const int len = SequenceLength(bytes[i]);
    if (len == 0 || i + static_cast<std::size_t>(len) > bytes.size()) {
      return false;
    }
    if (len == 1 && (bytes[i] < 0x20 || bytes[i] == 0x7F)) {
      return false;
    }
    std::uint32_t cp = len == 1 ? bytes[i] : bytes[i] & (0x7F >> len);
    for (int k = 1; k < len; ++k) {
      if ((bytes[i + k] & 0xC0) != 0x80) {
        return false;
      }
      cp = (cp << 6) | (bytes[i + k] & 0x3F);
    }
    // Reject overlong forms, surrogates and code points past U+10FFFF.
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
      return false;
    }
    i += static_cast<std::size_t>(len);
  }
  return true;
}

std::string MetadataLine(const MessageRecord& record) {
  const MessageInfo& info = *record.info;
  nlohmann::ordered_json j;
  j["mode"] = record.mode;
  j["input"] = record.input;
  j["output"] = record.output;
  j["suite"] = {{"name", std::string(AlgorithmSuiteName(info.suite))},
                {"id", SuiteId(info.suite)}};
  j["message_id"] = HexEncode(info.message_id);
  j["version"] = info.version;
  j["framed"] = info.framed;
  j["frame_length"] = info.frame_length;
  j["encryption_context"] = nlohmann::ordered_json::object();
  for (const auto& [key, value] : info.encryption_context) {
    j["encryption_context"][key] = value;
  }
  j["encrypted_data_keys"] = nlohmann::ordered_json::array();
  for (const EncryptedDataKey& edk : info.encrypted_data_keys) {
    const bool text = IsPrintableUtf8(edk.provider_info);
    j["encrypted_data_keys"].push_back(
        {{"provider_id", edk.provider_id},
         {"provider_info",
          text ? std::string(AsChars(edk.provider_info)) : Base64Encode(edk.provider_info)},
         {"provider_info_encoding", text ? "utf-8" : "base64"}});
  }
  j["bytes_in"] = record.bytes_in;
  j["bytes_out"] = record.bytes_out;
  // Context strings come from untrusted messages: replace invalid UTF-8 instead of throwing.
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

Result<std::unique_ptr<MetadataWriter>> MetadataWriter::Open(const std::string& path) {
  if (path == "-") {
    return std::unique_ptr<MetadataWriter>(new MetadataWriter(STDOUT_FILENO, false, "<stdout>"));
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) {
    return IoError(path + ": cannot create metadata file: " + std::strerror(errno));
  }
  return std::unique_ptr<MetadataWriter>(new MetadataWriter(fd, true, path));
}

MetadataWriter::~MetadataWriter() {
  if (owned_) {
    ::close(fd_);
  }
}

Status MetadataWriter::Write(const MessageRecord& record) {
  const std::string line = MetadataLine(record) + "\n";
  FdOutputStream out(fd_, path_);
  return out.Write(AsBytes(line));
}

}  // namespace envelope::cli

