// KmsClient over HTTPS against the local KMS server with TLS on loopback: the certificate comes
// from a throwaway CA made for each run (tests/testing/make_test_certs.sh). With the CA as
// ca_bundle the client verifies the server and works over IPv4 and IPv6; without it, it fails
// at once with a verification error and does not retry; a server refuses a bad certificate or
// key at start with one clear line.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "kms/client/kms_client.h"
#include "kms/server/http/local_kms_server.h"

namespace envelope::kms {
namespace {

using std::chrono::milliseconds;
namespace fs = std::filesystem;

constexpr std::string_view kAkid = "AKIACLIENTTLSTEST001";
constexpr std::string_view kSecret = "client/tls/secret/0000000000000000000000";

SecretBytes Secret(std::string_view s) {
  return SecretBytes(std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
}

class TlsKmsClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::system("command -v openssl >/dev/null 2>&1") != 0) {
      GTEST_SKIP()
          << "SKIPPED: the openssl command is not installed (scripts/setup.sh installs it)";
    }
    std::string templ = (fs::temp_directory_path() / "kms-client-tls-XXXXXX").string();
    dir_ = ::mkdtemp(templ.data());
    const char* source = std::getenv("ENVELOPE_SOURCE_DIR");
    ASSERT_NE(source, nullptr) << "ENVELOPE_SOURCE_DIR is not set";
    const std::string make =
        std::string(source) + "/tests/testing/make_test_certs.sh " + dir_ + "/tls";
    ASSERT_EQ(std::system(make.c_str()), 0) << make;
    std::ofstream(dir_ + "/config.json") << nlohmann::json{
        {"accounts",
         {{{"id", "111122223333"},
           {"access_keys", {{{"access_key_id", kAkid}, {"secret_access_key", kSecret}}}}}}}};
  }
  void TearDown() override {
    if (server_) server_->Shutdown();
    if (runner_.joinable()) runner_.join();
    server_.reset();
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  server::ServeOptions ServeOptions() const {
    server::ServeOptions options;
    options.listen = {"127.0.0.1:0", "[::1]:0"};
    options.data_dir = dir_ + "/data";
    options.config_file = dir_ + "/config.json";
    options.log_requests = false;
    options.tls_cert = dir_ + "/tls/server.pem";
    options.tls_key = dir_ + "/tls/server.key";
    return options;
  }
  void StartServer() {
    auto s = server::LocalKmsServer::Create(ServeOptions(), /*handle_signals=*/false);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    server_ = std::move(s).value();
    runner_ = std::thread([this] { server_->Run(); });
  }
  std::unique_ptr<KmsClient> Client(const std::string& host, std::size_t port_index,
                                    bool trust_test_ca) {
    ClientOptions o;
    o.endpoint_url = "https://" + host + ":" + std::to_string(server_->ports()[port_index]);
    o.region = "us-east-1";
    o.credentials.access_key_id = std::string(kAkid);
    o.credentials.secret_access_key = Secret(kSecret);
    o.operation_timeout = milliseconds(10000);
    o.max_attempts = 3;
    if (trust_test_ca) o.ca_bundle = dir_ + "/tls/ca.pem";
    auto c = KmsClient::Create(std::move(o));
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return std::move(c).value();
  }

  std::string dir_;
  std::unique_ptr<server::LocalKmsServer> server_;
  std::thread runner_;
};

TEST_F(TlsKmsClientTest, ClientTrustingTheCaEncryptsAndDecryptsOverIpv4AndIpv6) {
  StartServer();
  for (auto [host, index] : {std::pair{"127.0.0.1", 0}, std::pair{"[::1]", 1}}) {
    auto c = Client(host, index, /*trust_test_ca=*/true);
    auto key = c->CreateKey(CreateKeyRequest{.description = "tls"});
    ASSERT_TRUE(key.ok()) << host << ": " << key.status().ToString();
    EncryptRequest e;
    e.key_id = key->key_metadata.arn;
    e.plaintext = Secret("over tls");
    auto enc = c->Encrypt(e);
    ASSERT_TRUE(enc.ok()) << enc.status().ToString();
    auto dec = c->Decrypt(DecryptRequest{.ciphertext_blob = enc->ciphertext_blob});
    ASSERT_TRUE(dec.ok()) << dec.status().ToString();
    EXPECT_TRUE(dec->plaintext.Equals(Secret("over tls").span()));
  }
}

TEST_F(TlsKmsClientTest, ConnectionIsReusedAcrossHttpsCalls) {
  StartServer();
  auto c = Client("localhost", 0, /*trust_test_ca=*/true);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(c->GenerateRandom(GenerateRandomRequest{.number_of_bytes = 16}).ok());
  }
  EXPECT_GE(c->metrics().reused_connections, 4);
}

TEST_F(TlsKmsClientTest, ClientWithoutTheCaFailsVerificationOnceWithoutRetrying) {
  StartServer();
  auto c = Client("127.0.0.1", 0, /*trust_test_ca=*/false);
  const auto started = std::chrono::steady_clock::now();
  auto r = c->GenerateRandom(GenerateRandomRequest{.number_of_bytes = 16});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("certificate"), std::string::npos) << r.status().ToString();
  EXPECT_EQ(c->metrics().attempts, 1) << "a verification failure is configuration: not retried";
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

TEST_F(TlsKmsClientTest, ServerRefusesAKeyThatDoesNotMatchItsCertificate) {
  const std::string other = dir_ + "/other";
  const char* source = std::getenv("ENVELOPE_SOURCE_DIR");
  ASSERT_EQ(
      std::system((std::string(source) + "/tests/testing/make_test_certs.sh " + other).c_str()), 0);
  server::ServeOptions options = ServeOptions();
  options.tls_key = other + "/server.key";
  auto s = server::LocalKmsServer::Create(options, /*handle_signals=*/false);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Code::kInvalidArgument);
  EXPECT_NE(s.status().message().find("does not match certificate"), std::string::npos)
      << s.status().message();
}

TEST_F(TlsKmsClientTest, ServerRefusesAMissingCertificateWithItsPath) {
  server::ServeOptions options = ServeOptions();
  options.tls_cert = dir_ + "/tls/absent.pem";
  auto s = server::LocalKmsServer::Create(options, /*handle_signals=*/false);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Code::kInvalidArgument);
  EXPECT_NE(s.status().message().find("tls: cannot load certificate " + options.tls_cert),
            std::string::npos)
      << s.status().message();
}

TEST_F(TlsKmsClientTest, PlainHttpToTheTlsPortFailsWithoutHanging) {
  StartServer();
  ClientOptions o;
  o.endpoint_url = "http://127.0.0.1:" + std::to_string(server_->ports()[0]);
  o.region = "us-east-1";
  o.credentials.access_key_id = std::string(kAkid);
  o.credentials.secret_access_key = Secret(kSecret);
  o.operation_timeout = milliseconds(3000);
  o.max_attempts = 1;
  auto c = KmsClient::Create(std::move(o));
  ASSERT_TRUE(c.ok());
  const auto started = std::chrono::steady_clock::now();
  EXPECT_FALSE((*c)->GenerateRandom(GenerateRandomRequest{.number_of_bytes = 16}).ok());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(3500));
}

}  // namespace
}  // namespace envelope::kms
