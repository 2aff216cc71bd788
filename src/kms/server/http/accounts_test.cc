#include "kms/server/http/accounts.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/bytes.h"

namespace envelope::kms::server {
namespace {

constexpr std::string_view kConfig = R"({
  "accounts": [
    {"id": "111122223333", "access_keys": [{"access_key_id": "AKIAONE", "secret_access_key": "s1"}]},
    {"id": "444455556666", "access_keys": [
       {"access_key_id": "AKIATWO", "secret_access_key": "s2", "user": "bob"}]}
  ],
  "quotas": {"ignored": "by the account parser"}
})";

class TempDir {
 public:
  TempDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "kms-accounts-XXXXXX").string();
    path_ = ::mkdtemp(templ.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

int ModeOf(const std::string& path) {
  struct stat st{};
  ::stat(path.c_str(), &st);
  return st.st_mode & 0777;
}

TEST(AccountRegistry, ParsesAccountsKeysAndUsers) {
  Result<AccountRegistry> registry = AccountRegistry::FromJson(kConfig);
  ASSERT_TRUE(registry.ok()) << registry.status().ToString();
  EXPECT_EQ(registry->size(), 2u);
  const AccessKey* two = registry->Find("AKIATWO");
  ASSERT_NE(two, nullptr);
  EXPECT_EQ(two->account_id, "444455556666");
  EXPECT_TRUE(two->secret_access_key.Equals(AsBytes("s2")));
  EXPECT_EQ(two->PrincipalArn(), "arn:aws:iam::444455556666:user/bob");
  EXPECT_EQ(registry->Find("AKIAONE")->PrincipalArn(), "arn:aws:iam::111122223333:root");
  EXPECT_EQ(registry->Find("AKIATHREE"), nullptr);
}

TEST(AccountRegistry, RejectsBadConfigsWithAMessageNamingTheMember) {
  const std::pair<std::string, std::string> cases[] = {
      {"{", "not valid JSON"},
      {R"({"accounts": {}})", "\"accounts\" must be an array"},
      {R"({"accounts": [{"id": "123", "access_keys": []}]})", "accounts[0].id"},
      {R"({"accounts": [{"id": "111122223333"}]})", "accounts[0].access_keys"},
      {R"({"accounts": [{"id": "111122223333", "access_keys": [{"access_key_id": "A"}]}]})",
       "accounts[0].access_keys[0].secret_access_key"},
      {R"({"accounts": [{"id": "111122223333", "access_keys": [{"access_key_id": "A B",
          "secret_access_key": "s"}]}]})", "accounts[0].access_keys[0].access_key_id"},
      {R"({"accounts": [{"id": "111122223333", "colour": 1, "access_keys": []}]})", "colour"},
      {R"({"accounts": [{"id": "111122223333", "access_keys": [
          {"access_key_id": "A", "secret_access_key": "s"},
          {"access_key_id": "A", "secret_access_key": "t"}]}]})", "appears twice"},
  };
  for (const auto& [json, fragment] : cases) {
    Result<AccountRegistry> registry = AccountRegistry::FromJson(json);
    ASSERT_FALSE(registry.ok()) << json;
    EXPECT_EQ(registry.status().code(), Code::kInvalidArgument);
    EXPECT_NE(registry.status().message().find(fragment), std::string::npos)
        << registry.status().message();
  }
}

TEST(AccountRegistry, ToJsonRoundTrips) {
  Result<AccountRegistry> registry = AccountRegistry::FromJson(kConfig);
  ASSERT_TRUE(registry.ok());
  Result<AccountRegistry> again = AccountRegistry::FromJson(registry->ToJson());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->size(), 2u);
  EXPECT_EQ(again->Find("AKIATWO")->user, "bob");
}

TEST(LoadOrCreateAccounts, FirstStartCreatesTheDefaultAccountAndPrivateFiles) {
  TempDir dir;
  Result<AccountSetup> setup = LoadOrCreateAccounts("", dir.path(), SystemRandom());
  ASSERT_TRUE(setup.ok()) << setup.status().ToString();
  EXPECT_TRUE(setup->created);
  EXPECT_EQ(setup->registry.size(), 1u);
  EXPECT_EQ(setup->credentials_file, dir.path() + "/credentials");
  EXPECT_EQ(ModeOf(dir.path() + "/credentials"), 0600);
  EXPECT_EQ(ModeOf(dir.path() + "/accounts.json"), 0600);
  std::ifstream in(setup->credentials_file);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("[default]\naws_access_key_id = AKIA"), std::string::npos);
  EXPECT_NE(text.find("aws_secret_access_key = "), std::string::npos);
}

TEST(LoadOrCreateAccounts, SecondStartReusesThePersistedKey) {
  TempDir dir;
  Result<AccountSetup> first = LoadOrCreateAccounts("", dir.path(), SystemRandom());
  Result<AccountSetup> second = LoadOrCreateAccounts("", dir.path(), SystemRandom());
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_FALSE(second->created);
  Result<AccountRegistry> stored = AccountRegistry::FromFile(dir.path() + "/accounts.json");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(first->registry.ToJson(), second->registry.ToJson());
}

TEST(LoadOrCreateAccounts, ConfigFileWinsAndNoCredentialsAreWritten) {
  TempDir dir;
  const std::string config = dir.path() + "/config.json";
  std::ofstream(config) << kConfig;
  Result<AccountSetup> setup = LoadOrCreateAccounts(config, dir.path(), SystemRandom());
  ASSERT_TRUE(setup.ok()) << setup.status().ToString();
  EXPECT_NE(setup->registry.Find("AKIAONE"), nullptr);
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/credentials"));
}

TEST(LoadOrCreateAccounts, BadConfigIsInvalidArgumentNamingTheFile) {
  TempDir dir;
  const std::string config = dir.path() + "/bad.json";
  std::ofstream(config) << R"({"accounts": 7})";
  Result<AccountSetup> setup = LoadOrCreateAccounts(config, dir.path(), SystemRandom());
  ASSERT_FALSE(setup.ok());
  EXPECT_EQ(setup.status().code(), Code::kInvalidArgument);
  EXPECT_NE(setup.status().message().find("bad.json"), std::string::npos);
}

}  // namespace
}  // namespace envelope::kms::server
