#include "cli/args.h"

#include <charconv>
#include <map>
#include <set>
#include <string_view>

#include "cli/exit_codes.h"
#include "cli/kms_operations.h"

namespace envelope::cli {
namespace {

enum class Kind {
  kFlag,    // no value
  kValue,   // exactly one value, at most once
  kRepeat,  // one value per occurrence, repeatable
  kGreedy,  // one or more values up to the next option, repeatable
};

struct OptionDef {
  std::string_view long_name;  // without the leading "--"
  char short_name;             // 0 when none
  Kind kind;
};

// One occurrence of a valued option: its arguments (several only for kGreedy).
using Occurrences = std::vector<std::vector<std::string>>;

struct Parsed {
  std::map<std::string, Occurrences, std::less<>> values;
  std::set<std::string, std::less<>> flags;
  bool help = false;

  bool Has(std::string_view name) const {
    return flags.count(name) > 0 || values.count(name) > 0;
  }
  std::optional<std::string> One(std::string_view name) const {
    auto it = values.find(name);
    if (it == values.end()) {
      return std::nullopt;
    }
    return it->second.front().front();
  }
};

bool LooksLikeOption(std::string_view arg) { return arg.size() > 1 && arg[0] == '-'; }

const OptionDef* FindOption(const std::vector<OptionDef>& table, std::string_view arg,
                            std::optional<std::string>& inline_value) {
  if (arg.starts_with("--")) {
    std::string_view name = arg.substr(2);
    if (auto eq = name.find('='); eq != std::string_view::npos) {
      inline_value = std::string(name.substr(eq + 1));
      name = name.substr(0, eq);
    }
    for (const OptionDef& def : table) {
      if (def.long_name == name) {
        return &def;
      }
    }
    return nullptr;
  }
  if (arg.size() == 2) {
    for (const OptionDef& def : table) {
      if (def.short_name != 0 && def.short_name == arg[1]) {
        return &def;
      }
    }
  }
  return nullptr;
}

// Generic pass over `args[start..]` against `table`; the per-command code validates meaning.
Parsed ParseOptions(const std::vector<std::string>& args, std::size_t start,
                    const std::vector<OptionDef>& table, std::string_view prefix) {
  Parsed parsed;
  for (std::size_t i = start; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      parsed.help = true;
      continue;
    }
    if (!LooksLikeOption(arg)) {
      ThrowUsage(prefix, "unexpected argument '" + arg + "'");
    }
    std::optional<std::string> inline_value;
    const OptionDef* def = FindOption(table, arg, inline_value);
    if (def == nullptr) {
      ThrowUsage(prefix, "unknown option '" + arg + "'");
    }
    const std::string name(def->long_name);
    if (def->kind == Kind::kFlag) {
      if (inline_value) {
        ThrowUsage(prefix, "--" + name + " takes no value");
      }
      parsed.flags.insert(name);
      continue;
    }
    std::vector<std::string> occurrence;
    if (inline_value) {
      occurrence.push_back(*inline_value);
    } else if (i + 1 < args.size() && !LooksLikeOption(args[i + 1])) {
      occurrence.push_back(args[++i]);
    } else {
      ThrowUsage(prefix, "--" + name + " needs a value");
    }
    if (def->kind == Kind::kGreedy) {
      while (i + 1 < args.size() && !LooksLikeOption(args[i + 1])) {
        occurrence.push_back(args[++i]);
      }
    }
    Occurrences& slot = parsed.values[name];
    if (def->kind == Kind::kValue && !slot.empty()) {
      ThrowUsage(prefix, "--" + name + " given more than once");
    }
    slot.push_back(std::move(occurrence));
  }
  return parsed;
}

template <typename T>
T ParseNumber(std::string_view text, std::string_view option, std::string_view prefix, T min,
              T max) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    ThrowUsage(prefix, "--" + std::string(option) + ": '" + std::string(text) +
                           "' is not a number from " + std::to_string(min) + " to " +
                           std::to_string(max));
  }
  return value;
}

// Seconds, fractions allowed: > 0 and at most a day.
double ParseSeconds(const std::string& text, std::string_view option, std::string_view prefix) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !(value > 0) || value > 86400) {
    ThrowUsage(prefix, std::string(option) + ": '" + text +
                           "' is not a number of seconds greater than 0 (at most 86400)");
  }
  return value;
}

// --caching capacity=N max_age=S [max_messages_encrypted=N] [max_bytes_encrypted=N]
CachingArgs ParseCaching(const std::vector<std::string>& items, std::string_view prefix) {
  std::map<std::string, std::string> values;
  for (const std::string& item : items) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      ThrowUsage(prefix, "--caching: '" + item + "' is not key=value");
    }
    std::string key = item.substr(0, eq);
    if (key != "capacity" && key != "max_age" && key != "max_messages_encrypted" &&
        key != "max_bytes_encrypted") {
      ThrowUsage(prefix, "--caching: unknown setting '" + key + "' (capacity, max_age, "
                         "max_messages_encrypted, max_bytes_encrypted)");
    }
    if (!values.emplace(key, item.substr(eq + 1)).second) {
      ThrowUsage(prefix, "--caching: '" + key + "' given more than once");
    }
  }
  if (!values.count("capacity") || !values.count("max_age")) {
    ThrowUsage(prefix, "--caching needs capacity=N and max_age=SECONDS");
  }
  CachingArgs caching;
  caching.capacity = ParseNumber<std::size_t>(values["capacity"], "caching capacity", prefix, 1,
                                              1000000);
  caching.max_age = ParseSeconds(values["max_age"], "--caching max_age", prefix);
  if (values.count("max_messages_encrypted")) {
    caching.max_messages_encrypted =
        ParseNumber<std::uint64_t>(values["max_messages_encrypted"],
                                   "caching max_messages_encrypted", prefix, 1, 1ull << 32);
  }
  if (values.count("max_bytes_encrypted")) {
    caching.max_bytes_encrypted =
        ParseNumber<std::uint64_t>(values["max_bytes_encrypted"], "caching max_bytes_encrypted",
                                   prefix, 1, INT64_MAX);
  }
  return caching;
}

KmsClientFlags ParseKmsClientFlags(const Parsed& p, std::string_view prefix) {
  KmsClientFlags k;
  k.endpoint_url = p.One("endpoint-url");
  k.region = p.One("region");
  k.profile = p.One("profile");
  k.retry_mode = p.One("retry-mode");
  if (k.retry_mode && *k.retry_mode != "legacy" && *k.retry_mode != "standard" &&
      *k.retry_mode != "adaptive") {
    ThrowUsage(prefix, "--retry-mode must be legacy, standard or adaptive");
  }
  for (auto [name, slot] : {std::pair{"connect-timeout", &k.connect_timeout},
                            std::pair{"read-timeout", &k.read_timeout},
                            std::pair{"operation-timeout", &k.operation_timeout}}) {
    if (auto v = p.One(name)) {
      *slot = ParseSeconds(*v, std::string("--") + name, prefix);
    }
  }
  if (auto v = p.One("max-attempts")) {
    k.max_attempts = ParseNumber<int>(*v, "max-attempts", prefix, 1, 100);
  }
  k.dualstack = p.Has("dualstack");
  k.fips = p.Has("fips");
  k.verbose = p.Has("verbose");
  return k;
}

std::string Required(const Parsed& parsed, std::string_view name, std::string_view prefix) {
  std::optional<std::string> value = parsed.One(name);
  if (!value) {
    ThrowUsage(prefix, "missing --" + std::string(name));
  }
  return *value;
}

std::vector<std::pair<std::string, std::string>> ContextPairs(const Parsed& parsed,
                                                              std::string_view prefix) {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::set<std::string, std::less<>> seen;
  auto it = parsed.values.find("encryption-context");
  if (it == parsed.values.end()) {
    return pairs;
  }
  for (const auto& occurrence : it->second) {
    for (const std::string& item : occurrence) {
      const auto eq = item.find('=');
      if (eq == std::string::npos || eq == 0) {
        ThrowUsage(prefix, "--encryption-context: '" + item + "' is not key=value");
      }
      std::string key = item.substr(0, eq);
      if (!seen.insert(key).second) {
        ThrowUsage(prefix, "--encryption-context: key '" + key + "' given more than once");
      }
      pairs.emplace_back(std::move(key), item.substr(eq + 1));
    }
  }
  return pairs;
}

Invocation Help(const char* text) {
  Invocation inv;
  inv.command = Command::kHelp;
  inv.help_text = text;
  return inv;
}

const std::vector<OptionDef>& CryptoTable(bool encrypt) {
  static const std::vector<OptionDef> common = {
      {"input", 'i', Kind::kValue},
      {"output", 'o', Kind::kValue},
      {"wrapping-keys", 'w', Kind::kGreedy},
      {"encryption-context", 'c', Kind::kGreedy},
      {"commitment-policy", 0, Kind::kValue},
      {"max-encrypted-data-keys", 0, Kind::kValue},
      {"metadata-output", 0, Kind::kValue},
      {"suffix", 0, Kind::kValue},
      {"recursive", 'r', Kind::kFlag},
      {"quiet", 'q', Kind::kFlag},
      {"caching", 0, Kind::kGreedy},
      // The remote KMS client (provider=aws-kms).
      {"endpoint-url", 0, Kind::kValue},
      {"region", 0, Kind::kValue},
      {"profile", 0, Kind::kValue},
      {"connect-timeout", 0, Kind::kValue},
      {"read-timeout", 0, Kind::kValue},
      {"operation-timeout", 0, Kind::kValue},
      {"max-attempts", 0, Kind::kValue},
      {"retry-mode", 0, Kind::kValue},
      {"dualstack", 0, Kind::kFlag},
      {"fips", 0, Kind::kFlag},
      {"verbose", 'v', Kind::kFlag},
  };
  static const std::vector<OptionDef> encrypt_table = [] {
    std::vector<OptionDef> t = common;
    t.push_back({"algorithm", 0, Kind::kValue});
    t.push_back({"frame-length", 0, Kind::kValue});
    return t;
  }();
  static const std::vector<OptionDef> decrypt_table = [] {
    std::vector<OptionDef> t = common;
    t.push_back({"buffer", 'b', Kind::kFlag});
    t.push_back({"decrypt-unsigned", 0, Kind::kFlag});
    return t;
  }();
  return encrypt ? encrypt_table : decrypt_table;
}

Invocation ParseCrypto(const std::vector<std::string>& args, bool encrypt) {
  const std::string prefix = encrypt ? "envelope encrypt" : "envelope decrypt";
  Parsed p = ParseOptions(args, 1, CryptoTable(encrypt), prefix);
  if (p.help) {
    return Help(encrypt ? EncryptHelp() : DecryptHelp());
  }
  Invocation inv;
  inv.command = encrypt ? Command::kEncrypt : Command::kDecrypt;
  CryptoArgs& c = inv.crypto;
  c.input = Required(p, "input", prefix);
  c.output = Required(p, "output", prefix);
  if (auto it = p.values.find("wrapping-keys"); it != p.values.end()) {
    for (const auto& occurrence : it->second) {
      std::string spec;
      for (const std::string& part : occurrence) {
        spec += (spec.empty() ? "" : " ") + part;
      }
      c.wrapping_keys.push_back(std::move(spec));
    }
  }
  if (auto it = p.values.find("caching"); it != p.values.end()) {
    if (it->second.size() > 1) {
      ThrowUsage(prefix, "--caching given more than once");
    }
    c.caching = ParseCaching(it->second.front(), prefix);
  }
  c.kms = ParseKmsClientFlags(p, prefix);
  c.encryption_context = ContextPairs(p, prefix);
  c.algorithm = p.One("algorithm");
  if (auto v = p.One("frame-length")) {
    c.frame_length = ParseNumber<std::uint32_t>(*v, "frame-length", prefix, 1, UINT32_MAX);
  }
  c.commitment_policy = p.One("commitment-policy");
  if (auto v = p.One("max-encrypted-data-keys")) {
    c.max_encrypted_data_keys =
        ParseNumber<std::size_t>(*v, "max-encrypted-data-keys", prefix, 1, 65535);
  }
  c.metadata_output = p.One("metadata-output");
  c.suffix = p.One("suffix");
  c.recursive = p.Has("recursive");
  c.quiet = p.Has("quiet");
  c.buffer = p.Has("buffer");
  c.decrypt_unsigned = p.Has("decrypt-unsigned");
  if (c.output == "-" && c.metadata_output == "-") {
    ThrowUsage(prefix, "--output and --metadata-output cannot both be '-'");
  }
  return inv;
}

Invocation ParseKeygen(const std::vector<std::string>& args) {
  const std::string prefix = "envelope keygen";
  static const std::vector<OptionDef> table = {
      {"aes", 0, Kind::kValue}, {"rsa", 0, Kind::kValue}, {"output", 'o', Kind::kValue}};
  Parsed p = ParseOptions(args, 1, table, prefix);
  if (p.help) {
    return Help(KeygenHelp());
  }
  Invocation inv;
  inv.command = Command::kKeygen;
  auto aes = p.One("aes");
  auto rsa = p.One("rsa");
  if (aes.has_value() == rsa.has_value()) {
    ThrowUsage(prefix, "give exactly one of --aes BITS or --rsa BITS");
  }
  if (aes) {
    inv.keygen.aes_bits = ParseNumber<int>(*aes, "aes", prefix, 128, 256);
    if (inv.keygen.aes_bits != 128 && inv.keygen.aes_bits != 192 && inv.keygen.aes_bits != 256) {
      ThrowUsage(prefix, "--aes must be 128, 192 or 256");
    }
  } else {
    inv.keygen.rsa_bits = ParseNumber<int>(*rsa, "rsa", prefix, 2048, 4096);
    if (inv.keygen.rsa_bits != 2048 && inv.keygen.rsa_bits != 3072 &&
        inv.keygen.rsa_bits != 4096) {
      ThrowUsage(prefix, "--rsa must be 2048, 3072 or 4096");
    }
  }
  inv.keygen.output = Required(p, "output", prefix);
  if (inv.keygen.output == "-") {
    ThrowUsage(prefix, "keys are written to files only, not to '-'");
  }
  return inv;
}

Invocation ParseKmsServe(const std::vector<std::string>& args) {
  const std::string prefix = "envelope kms serve";
  static const std::vector<OptionDef> table = {
      {"listen", 0, Kind::kRepeat},  {"data-dir", 0, Kind::kValue},
      {"config", 0, Kind::kValue},   {"auth", 0, Kind::kValue},
      {"tls-cert", 0, Kind::kValue}, {"tls-key", 0, Kind::kValue},
      {"admin-token-file", 0, Kind::kValue}};
  Parsed p = ParseOptions(args, 2, table, prefix);
  if (p.help) {
    return Help(KmsServeHelp());
  }
  Invocation inv;
  inv.command = Command::kKmsServe;
  KmsServeArgs& k = inv.kms;
  if (auto it = p.values.find("listen"); it != p.values.end()) {
    for (const auto& occurrence : it->second) {
      k.listen.push_back(occurrence.front());
    }
  }
  k.data_dir = Required(p, "data-dir", prefix);
  k.config_file = p.One("config").value_or("");
  const std::string auth = p.One("auth").value_or("on");
  if (auth != "on" && auth != "off") {
    ThrowUsage(prefix, "--auth must be 'on' or 'off'");
  }
  k.auth = auth == "on";
  k.tls_cert = p.One("tls-cert").value_or("");
  k.tls_key = p.One("tls-key").value_or("");
  if (k.tls_cert.empty() != k.tls_key.empty()) {
    ThrowUsage(prefix, "--tls-cert and --tls-key go together");
  }
  k.admin_token_file = p.One("admin-token-file").value_or("");
  return inv;
}

// The client flags of KmsClientFlags, shared by `kms <operation>` and `config`.
std::vector<OptionDef> ClientTable() {
  return {{"endpoint-url", 0, Kind::kValue},      {"region", 0, Kind::kValue},
          {"profile", 0, Kind::kValue},           {"connect-timeout", 0, Kind::kValue},
          {"read-timeout", 0, Kind::kValue},      {"operation-timeout", 0, Kind::kValue},
          {"max-attempts", 0, Kind::kValue},      {"retry-mode", 0, Kind::kValue},
          {"dualstack", 0, Kind::kFlag},          {"fips", 0, Kind::kFlag},
          {"verbose", 'v', Kind::kFlag}};
}

Invocation ParseConfig(const std::vector<std::string>& args) {
  const std::string prefix = "envelope config";
  Parsed p = ParseOptions(args, 1, ClientTable(), prefix);
  if (p.help) {
    return Help(ConfigHelp());
  }
  Invocation inv;
  inv.command = Command::kConfig;
  inv.config.client = ParseKmsClientFlags(p, prefix);
  return inv;
}

Invocation ParseKmsOperation(const std::vector<std::string>& args, const KmsOperationSpec& spec) {
  const std::string prefix = "envelope kms " + std::string(spec.name);
  std::vector<OptionDef> table = ClientTable();
  table.push_back({"local", 0, Kind::kFlag});
  for (const KmsOperationOption& o : spec.options) {
    const bool context = o.name == kEncryptionContextOption;
    table.push_back({o.name, o.short_name, context ? Kind::kGreedy : Kind::kValue});
  }
  Parsed p = ParseOptions(args, 2, table, prefix);
  if (p.help) {
    Invocation inv = Help("");
    inv.help_text = KmsOperationHelp(spec);
    return inv;
  }
  Invocation inv;
  inv.command = Command::kKmsOperation;
  KmsOperationArgs& k = inv.kms_operation;
  k.operation = std::string(spec.name);
  k.client = ParseKmsClientFlags(p, prefix);
  k.local = p.Has("local");
  k.encryption_context = ContextPairs(p, prefix);
  for (const KmsOperationOption& o : spec.options) {
    if (o.name == kEncryptionContextOption) {
      continue;
    }
    std::optional<std::string> value =
        o.required ? std::optional(Required(p, o.name, prefix)) : p.One(o.name);
    if (!value) {
      continue;
    }
    if (o.max > 0) {
      ParseNumber<long>(*value, o.name, prefix, o.min, o.max);
    } else if (value->empty()) {
      ThrowUsage(prefix, "--" + std::string(o.name) + " must not be empty");
    }
    k.options.emplace(std::string(o.name), std::move(*value));
  }
  return inv;
}

Invocation ParseKms(const std::vector<std::string>& args) {
  if (args.size() < 2) {
    ThrowUsage("envelope kms", "missing subcommand");
  }
  if (args[1] == "--help" || args[1] == "-h") {
    return Help(KmsHelp());
  }
  if (args[1] == "serve") {
    return ParseKmsServe(args);
  }
  if (const KmsOperationSpec* spec = FindKmsOperation(args[1])) {
    return ParseKmsOperation(args, *spec);
  }
  ThrowUsage("envelope kms", "unknown subcommand '" + args[1] + "'");
}

}  // namespace

Invocation ParseArgs(const std::vector<std::string>& args) {
  if (args.empty()) {
    ThrowUsage("envelope", "missing command");
  }
  const std::string& command = args[0];
  if (command == "--help" || command == "-h" || command == "help") {
    return Help(MainHelp());
  }
  if (command == "--version" || command == "version") {
    Invocation inv;
    inv.command = Command::kVersion;
    return inv;
  }
  if (command == "encrypt" || command == "decrypt") {
    return ParseCrypto(args, command == "encrypt");
  }
  if (command == "keygen") {
    return ParseKeygen(args);
  }
  if (command == "kms") {
    return ParseKms(args);
  }
  if (command == "config") {
    return ParseConfig(args);
  }
  ThrowUsage("envelope", "unknown command '" + command + "'");
}

Invocation ParseArgs(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    args.emplace_back(argv[i]);
  }
  return ParseArgs(args);
}

}  // namespace envelope::cli
