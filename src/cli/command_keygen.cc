// `envelope keygen`: raw AES key files and RSA key pairs, created with mode 0600.
#include <sys/stat.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/file_io.h"
#include "core/random.h"
#include "crypto/asymmetric.h"

namespace envelope::cli {
namespace {

constexpr const char* kPrefix = "envelope keygen";
constexpr mode_t kKeyFileMode = 0600;

// Writes `bytes` to `path` atomically with mode 0600, refusing to replace an existing file: a
// key that is overwritten loses every message encrypted under it.
Status WriteKeyFile(const std::string& path, std::span<const std::uint8_t> bytes) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    return IoError(path + ": already exists; refusing to overwrite a key file");
  }
  ENVELOPE_ASSIGN_OR_RETURN(std::unique_ptr<AtomicOutputFile> file,
                            AtomicOutputFile::Create(path, kKeyFileMode));
  ENVELOPE_RETURN_IF_ERROR(file->Write(bytes));
  return file->Commit();
}

}  // namespace

int RunKeygen(const KeygenArgs& args) {
  if (args.aes_bits != 0) {
    SecretBytes key = Unwrap(RandomSecret(SystemRandom(), args.aes_bits / 8), kPrefix,
                             Phase::kOperation);
    Check(WriteKeyFile(args.output, key.span()), kPrefix, Phase::kOperation);
    return kExitOk;
  }
  const std::string private_path = args.output + ".pem";
  const std::string public_path = args.output + ".pub.pem";
  // Check both names first so that a clash leaves neither file half-made.
  for (const std::string& path : {private_path, public_path}) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0) {
      Check(IoError(path + ": already exists; refusing to overwrite a key file"), kPrefix);
    }
  }
  crypto::PrivateKey key =
      Unwrap(crypto::PrivateKey::GenerateRsa(args.rsa_bits), kPrefix, Phase::kOperation);
  SecretBytes private_pem = Unwrap(key.ToPkcs8Pem(), kPrefix, Phase::kOperation);
  const std::string public_pem = Unwrap(key.Public().ToPem(), kPrefix, Phase::kOperation);
  Check(WriteKeyFile(private_path, private_pem.span()), kPrefix, Phase::kOperation);
  Check(WriteKeyFile(public_path, AsBytes(public_pem)), kPrefix, Phase::kOperation);
  return kExitOk;
}

}  // namespace envelope::cli
