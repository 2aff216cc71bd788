// The --help texts of every command. Kept together so that they stay consistent with each other
// and with docs/cli.md.
#include <string>

#include "cli/args.h"
#include "cli/kms_operations.h"

namespace envelope::cli {
namespace {

constexpr const char* kKmsOptions =
    "Data key caching (any keyring), and the KMS client (provider=aws-kms; unset values come\n"
    "from AWS_* variables and ~/.aws/config):\n"
    "      --caching capacity=N max_age=SECONDS [max_messages_encrypted=N]\n"
    "                [max_bytes_encrypted=N]  reuse data keys (fewer KMS calls)\n"
    "      --endpoint-url URL    the KMS endpoint, e.g. http://127.0.0.1:4599 (kms serve)\n"
    "      --region R  --profile P\n"
    "      --connect-timeout S  --read-timeout S  --operation-timeout S  (seconds, fractions)\n"
    "      --max-attempts N  --retry-mode legacy|standard|adaptive  --dualstack  --fips\n"
    "  -v, --verbose             log every KMS attempt\n";

constexpr const char* kKmsSpecs =
    "  [provider=aws-kms] key=ARN|alias/NAME|ID [key=...] [region=R] [profile=P]\n"
    "      AWS KMS (or any KMS endpoint); decrypt needs key ARNs\n"
    "  provider=local key=alias/NAME|ID|ARN [key=...] [region=R] [data-dir=DIR]\n"
    "      the embedded key store (no server); encrypt creates a missing alias\n";

constexpr const char* kDefaultKey =
    "With no --wrapping-keys (and no AWS configuration, or ENVELOPE_DATA_DIR set), encrypt uses\n"
    "the embedded key store's key alias/envelope-default, created on first use, and decrypt\n"
    "tries every key of that store. The store lives in $ENVELOPE_DATA_DIR, else\n"
    "$XDG_DATA_HOME/envelope, else ~/.local/share/envelope; 'envelope kms serve --data-dir'\n"
    "on that directory serves the same keys.\n";

constexpr const char* kExitCodes =
    "Exit codes:\n"
    "  0   success\n"
    "  1   the operation failed (bad or truncated ciphertext, wrong key, context mismatch,\n"
    "      KMS refused)\n"
    "  2   bad usage (unknown or missing option, malformed value or key spec)\n"
    "  3   I/O error (unreadable input, unwritable output)\n"
    "  70  internal error\n";

}  // namespace

const char* MainHelp() {
  static const std::string text = std::string(
      "Usage: envelope <command> [options]\n"
      "\n"
      "Client-side envelope encryption, byte-compatible with the AWS Encryption SDK.\n"
      "\n"
      "Commands:\n"
      "  encrypt      encrypt files, directories or stdin\n"
      "  decrypt      decrypt files, directories or stdin\n"
      "  keygen       make a raw AES key file or an RSA key pair\n"
      "  kms serve    run the local KMS server\n"
      "  kms <op>     KMS key operations: create-key, encrypt, ... (envelope kms --help)\n"
      "  config       show the resolved KMS client configuration and its sources\n"
      "\n"
      "  envelope --version        print the version\n"
      "  envelope <command> --help describe a command\n"
      "\n") + kExitCodes;
  return text.c_str();
}

const char* EncryptHelp() {
  static const std::string text = std::string(
      "Usage: envelope encrypt -i IN -o OUT [--wrapping-keys SPEC ...]\n"
      "                        [options]\n"
      "\n"
      "  -i, --input PATH          file, directory (with -r) or '-' for stdin\n"
      "  -o, --output PATH         file, directory or '-' for stdout\n"
      "  -w, --wrapping-keys SPEC  key=value attributes (see below); the first key makes the data\n"
      "                            key, each further key also wraps it. Repeatable.\n"
      "  -c, --encryption-context K=V ...  pairs bound to the message. Repeatable.\n"
      "      --algorithm SUITE     suite id (0x0578) or name (AES_256_GCM_HKDF_SHA512_COMMIT_KEY)\n"
      "      --frame-length N      plaintext bytes per frame (default 4096)\n"
      "      --commitment-policy P forbid-encrypt-allow-decrypt | require-encrypt-allow-decrypt |\n"
      "                            require-encrypt-require-decrypt (default)\n"
      "      --max-encrypted-data-keys N  refuse to write more data keys than N\n"
      "      --metadata-output F   one JSON line per message to file F, or '-' for stdout\n"
      "      --suffix S            name of outputs in a directory (default '.encrypted')\n"
      "  -r, --recursive           encrypt every file under the input directory\n"
      "  -q, --quiet               no progress bar\n"
      "\n"
      "Wrapping-key specs:\n"
      "  provider=raw-aes key-namespace=NS key-name=NAME key-file=PATH\n"
      "      (the file holds 16, 24 or 32 raw key bytes: see envelope keygen --aes)\n"
      "  provider=raw-rsa key-namespace=NS key-name=NAME public-key-file=PEM\n"
      "      [private-key-file=PEM] padding=oaep-sha1|oaep-sha256|oaep-sha384|oaep-sha512|pkcs1\n"
      ) + kKmsSpecs + "\n" + kDefaultKey + "\n" + kKmsOptions +
      "\n"
      "Examples:\n"
      "  envelope encrypt -i report.pdf -o report.pdf.encrypted     # the embedded default key\n"
      "  envelope encrypt -i report.pdf -o report.pdf.encrypted -c purpose=backup \\\n"
      "    --wrapping-keys provider=raw-aes key-namespace=team key-name=k1 key-file=k1.key\n"
      "\n" + kExitCodes;
  return text.c_str();
}

const char* DecryptHelp() {
  static const std::string text = std::string(
      "Usage: envelope decrypt -i IN -o OUT [--wrapping-keys SPEC ...]\n"
      "                        [options]\n"
      "\n"
      "  -i, --input PATH          file, directory (with -r) or '-' for stdin\n"
      "  -o, --output PATH         file, directory or '-' for stdout\n"
      "  -w, --wrapping-keys SPEC  keys to try, in order (same specs as encrypt). Repeatable.\n"
      "  -c, --encryption-context K=V ...  pairs that must be in the message's context with\n"
      "                            these values, else the decrypt fails (exit 1). Repeatable.\n"
      "      --commitment-policy P as for encrypt; require-encrypt-require-decrypt by default\n"
      "      --max-encrypted-data-keys N  refuse messages with more data keys than N\n"
      "      --metadata-output F   one JSON line per message to file F, or '-' for stdout\n"
      "      --suffix S            stripped from output names in a directory (default\n"
      "                            '.encrypted'; names without it get '.decrypted')\n"
      "  -r, --recursive           decrypt every file under the input directory\n"
      "  -b, --buffer              release no plaintext until the whole message is verified\n"
      "      --decrypt-unsigned    refuse messages of signing suites before releasing anything\n"
      "  -q, --quiet               no progress bar\n"
      "\n"
      "Wrapping-key specs: as for encrypt (see envelope encrypt --help), and\n"
      "  [provider=aws-kms] discovery=true [discovery-account=A ...] [discovery-partition=P]\n"
      "      any KMS key ARN in the message (optionally only these accounts; partition 'aws')\n"
      "  provider=local discovery=true   any key of the embedded key store\n"
      "\n") + kDefaultKey + "\n" + kKmsOptions + "\n" +
      "A failed decrypt leaves no output file and prints one line saying what failed.\n"
      "\n"
      "Examples:\n"
      "  envelope decrypt -i report.pdf.encrypted -o report.pdf     # the embedded key store\n"
      "  envelope decrypt -i report.pdf.encrypted -o report.pdf -c purpose=backup \\\n"
      "    --wrapping-keys provider=raw-aes key-namespace=team key-name=k1 key-file=k1.key\n"
      "\n" + kExitCodes;
  return text.c_str();
}

const char* KeygenHelp() {
  static const std::string text = std::string(
      "Usage: envelope keygen --aes 128|192|256 -o FILE\n"
      "       envelope keygen --rsa 2048|3072|4096 -o PREFIX\n"
      "\n"
      "  --aes BITS   write BITS/8 random key bytes to FILE (for provider=raw-aes)\n"
      "  --rsa BITS   write PREFIX.pem (PKCS#8 private key) and PREFIX.pub.pem (SPKI public\n"
      "               key) (for provider=raw-rsa)\n"
      "  -o, --output FILE or PREFIX\n"
      "\n"
      "Key files are created with mode 0600; an existing file is never overwritten.\n"
      "\n") + kExitCodes;
  return text.c_str();
}

const char* KmsHelp() {
  static const std::string text = KmsOperationsHelp();
  return text.c_str();
}

const char* ConfigHelp() {
  static const std::string text = std::string(
      "Usage: envelope config [--endpoint-url URL] [--region R] [--profile P] [--dualstack]\n"
      "                       [--fips] [--retry-mode M] [--max-attempts N] [--connect-timeout S]\n"
      "                       [--read-timeout S] [--operation-timeout S]\n"
      "\n"
      "Prints the KMS client configuration that these options, the AWS_* variables and the AWS\n"
      "config and credentials files resolve to, one 'name = value  (source)' per line, then\n"
      "warnings. Secrets are masked. No credentials is not an error here (it is reported).\n"
      "Exit 2 names the setting and where it came from when one is invalid.\n"
      "\n") + kExitCodes;
  return text.c_str();
}

const char* KmsServeHelp() {
  static const std::string text = std::string(
      "Usage: envelope kms serve --data-dir DIR [--listen HOST:PORT ...] [--config FILE]\n"
      "                          [--auth on|off] [--tls-cert FILE --tls-key FILE]\n"
      "                          [--admin-token-file FILE]\n"
      "\n"
      "Runs the local KMS (the AWS KMS JSON protocol) in the foreground until SIGINT or SIGTERM.\n"
      "\n"
      "  --listen HOST:PORT   address to listen on, e.g. 127.0.0.1:4599 or [::1]:4599.\n"
      "                       Repeatable. Default: 127.0.0.1:4599 and [::1]:4599\n"
      "  --data-dir DIR       where keys are stored\n"
      "  --config FILE        accounts and access keys\n"
      "  --auth on|off        check SigV4 signatures (default on)\n"
      "  --tls-cert FILE      serve HTTPS with this certificate (PEM) ...\n"
      "  --tls-key FILE       ... and this private key (PEM)\n"
      "  --admin-token-file FILE  the bearer token of the /_envelope/ admin endpoint (faults,\n"
      "                       quotas, metrics); without one, only loopback peers may use it\n"
      "\n") + kExitCodes;
  return text.c_str();
}

}  // namespace envelope::cli
