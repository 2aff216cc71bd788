#pragma once
// Command-line parsing for `envelope`. Hand-written, no dependency: a table of options per
// subcommand, long options as `--name value` or `--name=value`, short ones as `-x value`.
// `--wrapping-keys` and `--encryption-context` also take the arguments that follow them up to the
// next option, as the AWS Encryption CLI does.
//
// ParseArgs throws CliError(kExitUsage, "envelope <cmd>: <what is wrong> (see ... --help)") on any
// unknown, missing, repeated or malformed option; it reads no files.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace envelope::cli {

enum class Command {
  kHelp,
  kVersion,
  kEncrypt,
  kDecrypt,
  kKeygen,
  kKmsServe,
  kKmsOperation,
  kConfig,
};

// --caching capacity=N max_age=S [max_messages_encrypted=N] [max_bytes_encrypted=N]
struct CachingArgs {
  std::size_t capacity = 0;
  double max_age = 0;  // seconds
  std::optional<std::uint64_t> max_messages_encrypted;
  std::optional<std::uint64_t> max_bytes_encrypted;
};

// The remote KMS client's options (provider=aws-kms); unset values come from the AWS
// configuration (environment, profile, defaults).
struct KmsClientFlags {
  std::optional<std::string> endpoint_url, region, profile, retry_mode;
  std::optional<double> connect_timeout, read_timeout, operation_timeout;  // seconds
  std::optional<int> max_attempts;
  bool dualstack = false;
  bool fips = false;
  bool verbose = false;  // -v: log every attempt
};

struct CryptoArgs {
  std::string input;   // path, directory or "-"
  std::string output;  // path, directory or "-"
  // One spec per value: "provider=... key=value ..."; empty: the embedded store's default key.
  std::vector<std::string> wrapping_keys;
  std::optional<CachingArgs> caching;
  KmsClientFlags kms;
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
  std::string admin_token_file;  // the admin endpoint's token, read when the server starts
};

// `envelope kms <operation>`: the operation (kms_operations.h) and its options as given. Numbers
// are range-checked and required options present (ParseArgs); files are read when it runs.
struct KmsOperationArgs {
  std::string operation;  // "create-key", ...
  KmsClientFlags client;
  bool local = false;  // --local: the embedded key store instead of an endpoint
  std::map<std::string, std::string, std::less<>> options;                // by long name
  std::vector<std::pair<std::string, std::string>> encryption_context;  // unique keys, in order
};

// `envelope config`.
struct ConfigArgs {
  KmsClientFlags client;
};

struct Invocation {
  Command command = Command::kHelp;
  std::string help_text;  // set when command == kHelp: what to print on stdout
  CryptoArgs crypto;      // kEncrypt, kDecrypt
  KeygenArgs keygen;
  KmsServeArgs kms;
  KmsOperationArgs kms_operation;
  ConfigArgs config;
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
const char* ConfigHelp();

}  // namespace envelope::cli
