#pragma once
// Command-line parsing for `envelope`. Hand-written, no dependency: a table of options per
// subcommand, long options as `--name value` or `--name=value`, short ones as `-x value`.
// `--wrapping-keys` and `--encryption-context` also take the arguments that follow them up to the
// next option, as the AWS Encryption CLI does.
//
// ParseArgs throws CliError(kExitUsage, "envelope <cmd>: <what is wrong> (see ... --help)") on any
// unknown, missing, repeated or malformed option; it reads no files.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace envelope::cli {

enum class Command { kHelp, kVersion, kEncrypt, kDecrypt, kKeygen, kKmsServe };

struct CryptoArgs {
  std::string input;   // path, directory or "-"
  std::string output;  // path, directory or "-"
  std::vector<std::string> wrapping_keys;  // one spec per value: "provider=... key=value ..."
  std::vector<std::pair<std::string, std::string>> encryption_context;  // unique keys, in order
  std::optional<std::string> algorithm;
  std::optional<std::uint32_t> frame_length;
  std::optional<std::string> commitment_policy;
  std::optional<std::size_t> max_encrypted_data_keys;
  std::optional<std::string> metadata_output;  // file or "-"
  std::optional<std::string> suffix;
  bool recursive = false;
  bool buffer = false;
  bool decrypt_unsigned = false;
  bool quiet = false;
};

struct KeygenArgs {
  int aes_bits = 0;  // 128, 192 or 256; 0 when --rsa
  int rsa_bits = 0;  // 2048, 3072 or 4096; 0 when --aes
  std::string output;
};

struct KmsServeArgs {
  std::vector<std::string> listen;
  std::string data_dir;
  std::string config_file;
  bool auth = true;
  std::string tls_cert;
  std::string tls_key;
};

struct Invocation {
  Command command = Command::kHelp;
  std::string help_text;  // set when command == kHelp: what to print on stdout
  CryptoArgs crypto;      // kEncrypt, kDecrypt
  KeygenArgs keygen;
  KmsServeArgs kms;
};

// `args` excludes argv[0].
Invocation ParseArgs(const std::vector<std::string>& args);
Invocation ParseArgs(int argc, char** argv);

// The --help texts (also used by docs/cli.md's examples).
const char* MainHelp();
const char* EncryptHelp();
const char* DecryptHelp();
const char* KeygenHelp();
const char* KmsHelp();
const char* KmsServeHelp();

}  // namespace envelope::cli
