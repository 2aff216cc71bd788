// KmsClient over libcurl against real servers on loopback: the local KMS server in-process (IPv4
// and IPv6, every KmsApi operation) and moto_server when installed (SKIPPED loudly otherwise).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "kms/client/kms_client.h"
#include "kms/server/http/local_kms_server.h"

namespace envelope::kms {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

constexpr std::string_view kAkid = "AKIACLIENTTEST000001";
constexpr std::string_view kSecret = "client/test/secret/000000000000000000000";

SecretBytes Secret(std::string_view s) {
  return SecretBytes(std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
}

ClientOptions Options(const std::string& url) {
  ClientOptions o;
  o.endpoint_url = url;
  o.region = "us-east-1";
  o.credentials.access_key_id = std::string(kAkid);
  o.credentials.secret_access_key = Secret(kSecret);
  o.operation_timeout = milliseconds(10000);
  return o;
}

class LocalKmsClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (std::filesystem::temp_directory_path() / "kms-client-it-XXXXXX").string();
    dir_ = ::mkdtemp(templ.data());
    std::ofstream(dir_ + "/config.json") << json{
        {"accounts",
         {{{"id", "111122223333"},
           {"access_keys", {{{"access_key_id", kAkid}, {"secret_access_key", kSecret}}}}}}}};
    server::ServeOptions options;
    options.listen = {"127.0.0.1:0", "[::1]:0"};
    options.data_dir = dir_ + "/data";
    options.config_file = dir_ + "/config.json";
    options.log_requests = false;
    auto s = server::LocalKmsServer::Create(options, /*handle_signals=*/false);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    server_ = std::move(s).value();
    runner_ = std::thread([this] { server_->Run(); });
  }
  void TearDown() override {
    if (server_) server_->Shutdown();
    if (runner_.joinable()) runner_.join();
    server_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::unique_ptr<KmsClient> Client(bool ipv6 = false) {
    const std::string host = ipv6 ? "[::1]" : "127.0.0.1";
    const auto port = server_->ports()[ipv6 ? 1 : 0];
    auto c = KmsClient::Create(Options("http://" + host + ":" + std::to_string(port)));
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return std::move(c).value();
  }
  std::string NewKey(KmsClient& c) {
    auto k = c.CreateKey(CreateKeyRequest{.description = "client test"});
    EXPECT_TRUE(k.ok()) << k.status().ToString();
    return k.ok() ? k->key_metadata.arn : "";
  }

  std::string dir_;
  std::unique_ptr<server::LocalKmsServer> server_;
  std::thread runner_;
};

TEST_F(LocalKmsClientTest, EncryptThenDecryptRoundTrips) {
  auto c = Client();
  const std::string key = NewKey(*c);
  EncryptRequest e;
  e.key_id = key;
  e.plaintext = Secret("hello kms");
  e.encryption_context = {{"purpose", "test"}};
  auto enc = c->Encrypt(e);
  ASSERT_TRUE(enc.ok()) << enc.status().ToString();
  EXPECT_EQ(enc->key_id, key);
  DecryptRequest d;
  d.ciphertext_blob = enc->ciphertext_blob;
  d.encryption_context = {{"purpose", "test"}};
  auto dec = c->Decrypt(d);
  ASSERT_TRUE(dec.ok()) << dec.status().ToString();
  EXPECT_TRUE(dec->plaintext.Equals(Secret("hello kms").span()));
}

TEST_F(LocalKmsClientTest, DecryptWithWrongContextIsInvalidCiphertextAndNotRetried) {
  auto c = Client();
  EncryptRequest e;
  e.key_id = NewKey(*c);
  e.plaintext = Secret("x");
  auto enc = c->Encrypt(e);
  ASSERT_TRUE(enc.ok());
  DecryptRequest d;
  d.ciphertext_blob = enc->ciphertext_blob;
  d.encryption_context = {{"other", "ctx"}};
  auto dec = c->Decrypt(d);
  ASSERT_FALSE(dec.ok());
  EXPECT_EQ(dec.status().error_type(), "InvalidCiphertextException");
  EXPECT_EQ(c->metrics().retries, 0);
}

TEST_F(LocalKmsClientTest, GenerateDataKeyOverIpv6DecryptsToTheSameKey) {
  auto c = Client(/*ipv6=*/true);
  GenerateDataKeyRequest g;
  g.key_id = NewKey(*c);
  g.key_spec = "AES_256";
  auto dk = c->GenerateDataKey(g);
  ASSERT_TRUE(dk.ok()) << dk.status().ToString();
  EXPECT_EQ(dk->plaintext.size(), 32u);
  DecryptRequest d;
  d.ciphertext_blob = dk->ciphertext_blob;
  auto dec = c->Decrypt(d);
  ASSERT_TRUE(dec.ok()) << dec.status().ToString();
  EXPECT_TRUE(dec->plaintext.Equals(dk->plaintext.span()));
  auto without = c->GenerateDataKeyWithoutPlaintext(g);
  ASSERT_TRUE(without.ok()) << without.status().ToString();
  EXPECT_TRUE(without->plaintext.empty());
}

TEST_F(LocalKmsClientTest, ConnectionIsReusedAcrossCalls) {
  auto c = Client();
  const std::string key = NewKey(*c);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(c->DescribeKey(DescribeKeyRequest{key, {}}).ok());
  }
  EXPECT_GE(c->metrics().reused_connections, 5);
}

TEST_F(LocalKmsClientTest, KeyAdministrationOperationsWork) {
  auto c = Client();
  const std::string key = NewKey(*c);
  ASSERT_TRUE(c->CreateAlias(CreateAliasRequest{"alias/client-test", key}).ok());
  auto aliases = c->ListAliases(ListAliasesRequest{});
  ASSERT_TRUE(aliases.ok()) << aliases.status().ToString();
  bool found = false;
  for (const auto& a : aliases->aliases) found |= a.alias_name == "alias/client-test";
  EXPECT_TRUE(found);
  auto keys = c->ListKeys(ListKeysRequest{});
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(keys->keys.size(), 1u);
  ASSERT_TRUE(c->DisableKey(KeyIdRequest{key}).ok());
  EncryptRequest e;
  e.key_id = "alias/client-test";
  e.plaintext = Secret("x");
  auto disabled = c->Encrypt(e);
  ASSERT_FALSE(disabled.ok());
  EXPECT_EQ(disabled.status().error_type(), "DisabledException");
  ASSERT_TRUE(c->EnableKey(KeyIdRequest{key}).ok());
  auto enc = c->Encrypt(e);
  ASSERT_TRUE(enc.ok()) << enc.status().ToString();
  ReEncryptRequest re;
  re.ciphertext_blob = enc->ciphertext_blob;
  re.destination_key_id = NewKey(*c);
  auto reenc = c->ReEncrypt(re);
  ASSERT_TRUE(reenc.ok()) << reenc.status().ToString();
  EXPECT_EQ(reenc->source_key_id, key);
  auto rnd = c->GenerateRandom(GenerateRandomRequest{16});
  ASSERT_TRUE(rnd.ok());
  EXPECT_EQ(rnd->plaintext.size(), 16u);
  auto del = c->ScheduleKeyDeletion(ScheduleKeyDeletionRequest{key, 7});
  ASSERT_TRUE(del.ok()) << del.status().ToString();
  EXPECT_EQ(del->key_state, "PendingDeletion");
}

TEST_F(LocalKmsClientTest, WrongSecretIsUnauthenticatedAndNotRetried) {
  ClientOptions o = Options("http://127.0.0.1:" + std::to_string(server_->ports()[0]));
  o.credentials.secret_access_key = Secret("wrong-secret-0000000000000000000000000000");
  auto c = KmsClient::Create(std::move(o));
  ASSERT_TRUE(c.ok());
  auto r = (*c)->ListKeys(ListKeysRequest{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUnauthenticated);
  EXPECT_EQ((*c)->metrics().attempts, 1);
}

TEST_F(LocalKmsClientTest, OneClientServesManyThreads) {
  ClientOptions o = Options("http://127.0.0.1:" + std::to_string(server_->ports()[0]));
  o.retry_mode = RetryMode::kAdaptive;
  auto c = KmsClient::Create(std::move(o));
  ASSERT_TRUE(c.ok());
  KmsClient& client = **c;
  GenerateDataKeyRequest g;
  g.key_id = NewKey(client);
  g.number_of_bytes = 32;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        if (!client.GenerateDataKey(g).ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(client.metrics().per_operation["GenerateDataKey"].calls, 100);
}

// ---- moto_server ----

std::uint16_t FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  socklen_t len = sizeof(a);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

bool PortOpen(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0;
  ::close(fd);
  return ok;
}

TEST(MotoKmsClientTest, EncryptDecryptAndGenerateDataKeyAgainstMoto) {
  if (std::system("command -v moto_server >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "SKIPPED: moto_server is not installed";
  }
  const std::uint16_t port = FreePort();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::setpgid(0, 0);
    std::freopen("/dev/null", "w", stderr);
    std::freopen("/dev/null", "w", stdout);
    ::execlp("moto_server", "moto_server", "-H", "127.0.0.1", "-p", std::to_string(port).c_str(),
             nullptr);
    ::_exit(127);
  }
  // Wait (bounded) for moto to listen; polling a socket, not sleeping a fixed time.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!PortOpen(port) && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(milliseconds(50));
  }
  struct Killer {
    pid_t pid;
    ~Killer() {
      ::kill(-pid, SIGTERM);
      ::waitpid(pid, nullptr, 0);
    }
  } killer{pid};
  ASSERT_TRUE(PortOpen(port)) << "moto_server did not start on port " << port;

  ClientOptions o = Options("http://127.0.0.1:" + std::to_string(port));
  auto c = KmsClient::Create(std::move(o));
  ASSERT_TRUE(c.ok());
  KmsClient& client = **c;
  auto key = client.CreateKey(CreateKeyRequest{});
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EncryptRequest e;
  e.key_id = key->key_metadata.key_id;
  e.plaintext = Secret("moto plaintext");
  auto enc = client.Encrypt(e);
  ASSERT_TRUE(enc.ok()) << enc.status().ToString();
  DecryptRequest d;
  d.ciphertext_blob = enc->ciphertext_blob;
  auto dec = client.Decrypt(d);
  ASSERT_TRUE(dec.ok()) << dec.status().ToString();
  EXPECT_TRUE(dec->plaintext.Equals(Secret("moto plaintext").span()));
  GenerateDataKeyRequest g;
  g.key_id = key->key_metadata.key_id;
  g.number_of_bytes = 32;
  auto dk = client.GenerateDataKey(g);
  ASSERT_TRUE(dk.ok()) << dk.status().ToString();
  EXPECT_EQ(dk->plaintext.size(), 32u);
  auto missing = client.DescribeKey(DescribeKeyRequest{"alias/does-not-exist", {}});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().error_type(), "NotFoundException");
}

}  // namespace
}  // namespace envelope::kms
