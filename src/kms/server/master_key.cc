#include "kms/server/master_key.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "core/encoding.h"
#include "core/random.h"

namespace envelope::kms::server {
namespace {

constexpr std::size_t kMasterKeyBytes = 32;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  return s;
}

Result<SecretBytes> FromText(std::string_view text, std::string_view source) {
  if (text.size() == kMasterKeyBytes) return SecretBytes(AsBytes(text));
  auto decoded = Base64Decode(Trim(text));
  if (decoded.ok() && decoded->size() == kMasterKeyBytes) {
    SecretBytes key(*decoded);
    std::fill(decoded->begin(), decoded->end(), 0);
    return key;
  }
  return InvalidArgument(std::string(source) + ": master key must be 32 bytes (raw or base64)");
}

Result<SecretBytes> ReadKeyFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return InvalidArgument("cannot read master key " + path + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || (st.st_mode & 077) != 0) {
    ::close(fd);
    return InvalidArgument("master key " + path + " must not be accessible by group or others "
                           "(chmod 600)");
  }
  SecretBytes buf(4096);
  ssize_t n = ::read(fd, buf.data(), buf.size());
  ::close(fd);
  if (n < 0) return InvalidArgument("cannot read master key " + path);
  return FromText(AsChars(buf.span().first(static_cast<std::size_t>(n))), path);
}

Result<SecretBytes> CreateKeyFile(const std::string& path) {
  ENVELOPE_ASSIGN_OR_RETURN(SecretBytes key, RandomSecret(SystemRandom(), kMasterKeyBytes));
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return InvalidArgument("cannot create master key " + path + ": " + std::strerror(errno));
  bool ok = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    return InvalidArgument("cannot write master key " + path);
  }
  return key;
}

}  // namespace

Result<SecretBytes> LoadOrCreateMasterKey(const std::string& data_dir,
                                          const std::string& master_key_file) {
  if (!master_key_file.empty()) return ReadKeyFile(master_key_file);
  if (const char* env = std::getenv(kMasterKeyEnv); env != nullptr && *env != '\0') {
    return FromText(Trim(env), kMasterKeyEnv);
  }
  std::string path = data_dir + "/master.key";
  if (::access(path.c_str(), F_OK) == 0) return ReadKeyFile(path);
  ENVELOPE_ASSIGN_OR_RETURN(SecretBytes key, CreateKeyFile(path));
  int dir = ::open(data_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);  // make the new directory entry durable too
    ::close(dir);
  }
  return key;
}

}  // namespace envelope::kms::server
