#include "kms/server/http/accounts.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/bytes.h"

namespace envelope::kms::server {
namespace {

using nlohmann::json;

bool IsAccountId(const std::string& id) {
  return id.size() == 12 && id.find_first_not_of("0123456789") == std::string::npos;
}

bool IsKeyId(const std::string& id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

Status ParseKey(const json& entry, const std::string& account, const std::string& where,
                AccountRegistry& registry) {
  if (!entry.is_object()) return InvalidArgument(where + " must be an object");
  for (const auto& [name, value] : entry.items()) {
    if (name != "access_key_id" && name != "secret_access_key" && name != "user") {
      return InvalidArgument(where + " has an unknown member \"" + name + "\"");
    }
    if (!value.is_string()) return InvalidArgument(where + "." + name + " must be a string");
  }
  const std::string id = entry.value("access_key_id", "");
  const std::string secret = entry.value("secret_access_key", "");
  if (!IsKeyId(id)) {
    return InvalidArgument(where + ".access_key_id must be 1-128 characters of A-Z a-z 0-9 - _");
  }
  if (secret.empty()) return InvalidArgument(where + ".secret_access_key must not be empty");
  Status s = registry.Add({id, SecretBytes(AsBytes(secret)), account, entry.value("user", "")});
  return s.ok() ? s : InvalidArgument(where + ": " + s.message());
}

Status ParseAccount(const json& account, const std::string& where, AccountRegistry& registry) {
  if (!account.is_object()) return InvalidArgument(where + " must be an object");
  for (const auto& [name, value] : account.items()) {
    if (name != "id" && name != "access_keys") {
      return InvalidArgument(where + " has an unknown member \"" + name + "\"");
    }
  }
  const auto id = account.find("id");
  if (id == account.end() || !id->is_string() || !IsAccountId(id->get<std::string>())) {
    return InvalidArgument(where + ".id must be a string of 12 digits");
  }
  const auto keys = account.find("access_keys");
  if (keys == account.end() || !keys->is_array()) {
    return InvalidArgument(where + ".access_keys must be an array");
  }
  for (std::size_t i = 0; i < keys->size(); ++i) {
    ENVELOPE_RETURN_IF_ERROR(ParseKey((*keys)[i], id->get<std::string>(),
                                      where + ".access_keys[" + std::to_string(i) + "]",
                                      registry));
  }
  return OkStatus();
}

// Writes `content` to a new file with mode 0600; fails if it exists.
Status WritePrivateFile(const std::string& path, const std::string& content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Internal("create " + path + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      return Internal("write " + path + ": " + std::strerror(errno));
    }
    done += static_cast<std::size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  return synced ? OkStatus() : Internal("fsync " + path + ": " + std::strerror(errno));
}

// `n` characters drawn uniformly from `alphabet` (rejection sampling on random bytes).
Result<std::string> RandomString(Random& random, std::string_view alphabet, std::size_t n) {
  std::string out;
  const unsigned limit = 256 - 256 % alphabet.size();
  while (out.size() < n) {
    std::uint8_t buf[64];
    ENVELOPE_RETURN_IF_ERROR(random.Fill(buf));
    for (std::uint8_t b : buf) {
      if (b < limit && out.size() < n) out.push_back(alphabet[b % alphabet.size()]);
    }
  }
  return out;
}

Result<AccessKey> NewDefaultKey(Random& random) {
  ENVELOPE_ASSIGN_OR_RETURN(std::string suffix,
                            RandomString(random, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16));
  ENVELOPE_ASSIGN_OR_RETURN(
      std::string secret,
      RandomString(random, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40));
  AccessKey key{"AKIA" + suffix, SecretBytes(AsBytes(secret)), std::string(kDefaultAccountId), ""};
  std::fill(secret.begin(), secret.end(), '\0');
  return key;
}

}  // namespace

std::string AccessKey::PrincipalArn() const {
  return "arn:aws:iam::" + account_id + (user.empty() ? ":root" : ":user/" + user);
}

Status AccountRegistry::Add(AccessKey key) {
  if (keys_.count(key.access_key_id) != 0) {
    return InvalidArgument("access key id " + key.access_key_id + " appears twice");
  }
  std::string id = key.access_key_id;
  keys_.emplace(std::move(id), std::make_unique<AccessKey>(std::move(key)));
  return OkStatus();
}

const AccessKey* AccountRegistry::Find(std::string_view access_key_id) const {
  const auto it = keys_.find(std::string(access_key_id));
  return it == keys_.end() ? nullptr : it->second.get();
}

Result<AccountRegistry> AccountRegistry::FromJson(std::string_view text) {
  const json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return InvalidArgument("not valid JSON");
  if (!doc.is_object()) return InvalidArgument("the top level must be a JSON object");
  AccountRegistry registry;
  const auto accounts = doc.find("accounts");
  if (accounts == doc.end()) return registry;
  if (!accounts->is_array()) return InvalidArgument("\"accounts\" must be an array");
  for (std::size_t i = 0; i < accounts->size(); ++i) {
    ENVELOPE_RETURN_IF_ERROR(
        ParseAccount((*accounts)[i], "accounts[" + std::to_string(i) + "]", registry));
  }
  return registry;
}

Result<AccountRegistry> AccountRegistry::FromFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound(path + ": cannot open: " + std::strerror(errno));
  std::stringstream buffer;
  buffer << in.rdbuf();
  Result<AccountRegistry> registry = FromJson(buffer.str());
  if (!registry.ok()) return registry.status().Annotate(path);
  return registry;
}

std::string AccountRegistry::ToJson() const {
  std::map<std::string, json> accounts;
  for (const auto& [id, key] : keys_) {
    json entry = {{"access_key_id", key->access_key_id},
                  {"secret_access_key", std::string(AsChars(key->secret_access_key.span()))}};
    if (!key->user.empty()) entry["user"] = key->user;
    json& account = accounts[key->account_id];
    if (account.is_null()) account = {{"id", key->account_id}, {"access_keys", json::array()}};
    account["access_keys"].push_back(std::move(entry));
  }
  json doc = {{"accounts", json::array()}};
  for (auto& [id, account] : accounts) doc["accounts"].push_back(std::move(account));
  return doc.dump(2) + "\n";
}

Result<AccountSetup> LoadOrCreateAccounts(const std::string& config_file,
                                          const std::string& data_dir, Random& random) {
  AccountSetup setup;
  if (!config_file.empty()) {
    Result<AccountRegistry> registry = AccountRegistry::FromFile(config_file);
    if (!registry.ok()) return InvalidArgument("config " + registry.status().message());
    if (!registry->empty()) {
      setup.registry = std::move(registry).value();
      return setup;
    }
  }
  const std::string accounts_file = data_dir + "/accounts.json";
  setup.credentials_file = data_dir + "/credentials";
  Result<AccountRegistry> stored = AccountRegistry::FromFile(accounts_file);
  if (stored.ok()) {
    setup.registry = std::move(stored).value();
    return setup;
  }
  if (stored.status().code() != Code::kNotFound) return stored.status();
  ENVELOPE_ASSIGN_OR_RETURN(AccessKey key, NewDefaultKey(random));
  const std::string credentials =
      "# The local KMS's default account " + std::string(kDefaultAccountId) +
      ", written by `envelope kms serve`.\n[default]\naws_access_key_id = " + key.access_key_id +
      "\naws_secret_access_key = " + std::string(AsChars(key.secret_access_key.span())) + "\n";
  ENVELOPE_RETURN_IF_ERROR(setup.registry.Add(std::move(key)));
  ENVELOPE_RETURN_IF_ERROR(WritePrivateFile(accounts_file, setup.registry.ToJson()));
  ::unlink(setup.credentials_file.c_str());  // stale from an earlier data dir: replace it
  ENVELOPE_RETURN_IF_ERROR(WritePrivateFile(setup.credentials_file, credentials));
  setup.created = true;
  return setup;
}

}  // namespace envelope::kms::server
