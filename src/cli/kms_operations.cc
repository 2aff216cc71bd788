#include "cli/kms_operations.h"

#include <algorithm>

namespace envelope::cli {
namespace {

constexpr KmsOperationOption KeyId(bool required) {
  return {"key-id", 0, "KEY", required, 0, 0, "key id, key ARN, alias name or alias ARN"};
}
constexpr KmsOperationOption Context() {
  return {kEncryptionContextOption, 'c', "K=V ...", false, 0, 0,
          "encryption context pairs (repeatable)"};
}

}  // namespace

const std::vector<KmsOperationSpec>& KmsOperations() {
  static const std::vector<KmsOperationSpec> operations = {
      {"create-key", "CreateKey", "creates a KMS key",
       {{"description", 0, "TEXT", false, 0, 0, "the key's description"},
        {"key-spec", 0, "SPEC", false, 0, 0, "SYMMETRIC_DEFAULT (default), RSA_2048, HMAC_256..."},
        {"key-usage", 0, "USAGE", false, 0, 0,
         "ENCRYPT_DECRYPT (default), SIGN_VERIFY, GENERATE_VERIFY_MAC"}}},
      {"describe-key", "DescribeKey", "shows a key's metadata", {KeyId(true)}},
      {"list-keys", "ListKeys", "lists the keys of the account and region", {}},
      {"list-aliases", "ListAliases", "lists aliases (of one key with --key-id)", {KeyId(false)}},
      {"create-alias", "CreateAlias", "names a key",
       {{"alias-name", 0, "alias/NAME", true, 0, 0, "the new alias, starting with alias/"},
        {"target-key-id", 0, "KEY", true, 0, 0, "key id or key ARN the alias points to"}}},
      {"enable-key", "EnableKey", "enables a key", {KeyId(true)}},
      {"disable-key", "DisableKey", "disables a key", {KeyId(true)}},
      {"schedule-key-deletion", "ScheduleKeyDeletion", "schedules a key's deletion",
       {KeyId(true),
        {"pending-window-in-days", 0, "DAYS", false, 7, 30, "7 to 30 (default 30)"}}},
      {"encrypt", "Encrypt", "encrypts up to 4096 bytes with a key",
       {KeyId(true), {"plaintext-file", 0, "FILE", true, 0, 0, "the plaintext's file"},
        Context()}},
      {"decrypt", "Decrypt", "decrypts a KMS ciphertext",
       {{"ciphertext-file", 0, "FILE", true, 0, 0, "the ciphertext blob's file (raw bytes)"},
        KeyId(false), Context()}},
      {"generate-data-key", "GenerateDataKey", "makes a data key encrypted under a key",
       {KeyId(true), {"number-of-bytes", 0, "N", false, 1, 1024, "key length (1 to 1024)"},
        {"key-spec", 0, "SPEC", false, 0, 0, "AES_256 (default without --number-of-bytes) or "
                                             "AES_128"},
        Context()}},
  };
  return operations;
}

const KmsOperationSpec* FindKmsOperation(std::string_view name) {
  for (const KmsOperationSpec& spec : KmsOperations()) {
    if (spec.name == name) {
      return &spec;
    }
  }
  return nullptr;
}

std::string KmsOperationHelp(const KmsOperationSpec& spec) {
  std::string text = "Usage: envelope kms " + std::string(spec.name) +
                     " [client options] [--local]";
  for (const KmsOperationOption& o : spec.options) {
    std::string one = "--" + std::string(o.name) + " " + std::string(o.value_name);
    text += " " + (o.required ? one : "[" + one + "]");
  }
  text += "\n\n" + std::string(spec.summary) + " (KMS " + std::string(spec.api_name) +
          "); prints the KMS JSON response, blobs in base64.\n\n";
  for (const KmsOperationOption& o : spec.options) {
    std::string left = "  --" + std::string(o.name);
    if (o.short_name != 0) {
      left = "  -" + std::string(1, o.short_name) + ", --" + std::string(o.name);
    }
    left += " " + std::string(o.value_name);
    left.resize(std::max<std::size_t>(left.size() + 2, 34), ' ');
    text += left + std::string(o.help) + "\n";
  }
  text +=
      "  --local                         use the embedded key store (ENVELOPE_DATA_DIR or the\n"
      "                                  user's data directory) instead of a KMS endpoint\n"
      "client options (as for encrypt): --endpoint-url URL --region R --profile P\n"
      "  --connect-timeout S --read-timeout S --operation-timeout S --max-attempts N\n"
      "  --retry-mode legacy|standard|adaptive --dualstack --fips -v\n"
      "exit: 0 ok, 1 KMS refused or unreachable, 2 bad usage, 3 unreadable file\n";
  return text;
}

std::string KmsOperationsHelp() {
  std::string text =
      "Usage: envelope kms serve --data-dir DIR [...]   (see envelope kms serve --help)\n"
      "       envelope kms <operation> [client options] [--local] [operation options]\n\n"
      "operations (each has --help):\n";
  for (const KmsOperationSpec& spec : KmsOperations()) {
    std::string left = "  " + std::string(spec.name);
    left.resize(26, ' ');
    text += left + std::string(spec.summary) + "\n";
  }
  text += "\nThey call any KMS endpoint (--endpoint-url, or the one the AWS configuration\n"
          "resolves; see envelope config) or, with --local, the embedded key store.\n";
  return text;
}

}  // namespace envelope::cli
