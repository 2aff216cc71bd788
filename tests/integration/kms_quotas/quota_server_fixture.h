#pragma once
// A local KMS server on loopback port 0 with a given "quotas" (and "faults") config, two accounts,
// and signed raw-HTTP calls. Shared by the kms_quotas integration tests.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "kms/protocol/sigv4.h"
#include "kms/server/http/local_kms_server.h"
#include "kms/server/http/raw_http_client.h"

namespace envelope::kms::server::quota_it {

using nlohmann::json;
using testing::RawHttpClient;
using testing::RawHttpResponse;

inline constexpr std::string_view kAkid = "AKIAQUOTAS000000001";
inline constexpr std::string_view kSecret = "quotas/secret/000000000000000000000000000";
inline constexpr std::string_view kOtherAkid = "AKIAQUOTAS000000002";
inline constexpr std::string_view kOtherSecret = "quotas/secret/111111111111111111111111111";

class QuotaServer {
 public:
  // `extra` is merged into the config file next to "accounts".
  explicit QuotaServer(const json& extra) {
    std::string templ = (std::filesystem::temp_directory_path() / "kms-quota-XXXXXX").string();
    dir_ = ::mkdtemp(templ.data());
    json config = extra;
    config["accounts"] = json::array(
        {{{"id", "111122223333"},
          {"access_keys", {{{"access_key_id", kAkid}, {"secret_access_key", kSecret}}}}},
         {{"id", "444455556666"},
          {"access_keys", {{{"access_key_id", kOtherAkid}, {"secret_access_key", kOtherSecret}}}}}});
    std::ofstream(dir_ + "/config.json") << config.dump();
    ServeOptions options;
    options.listen = {"127.0.0.1:0"};
    options.data_dir = dir_ + "/data";
    options.config_file = dir_ + "/config.json";
    options.log_requests = false;
    auto server = LocalKmsServer::Create(options, /*handle_signals=*/false);
    EXPECT_TRUE(server.ok()) << server.status().ToString();
    if (!server.ok()) return;
    server_ = std::move(server).value();
    runner_ = std::thread([this] { server_->Run(); });
  }
  ~QuotaServer() {
    if (server_) server_->Shutdown();
    if (runner_.joinable()) runner_.join();
    server_.reset();
    std::filesystem::remove_all(dir_);
  }
  bool ok() const { return server_ != nullptr; }
  std::uint16_t port() const { return server_->ports()[0]; }
  std::string Host() const { return "127.0.0.1:" + std::to_string(port()); }

  // A kept-alive connection for many calls.
  RawHttpClient Connect() const {
    auto client = RawHttpClient::Connect("127.0.0.1", port());
    EXPECT_TRUE(client.ok()) << client.status().ToString();
    return std::move(client).value();
  }
  std::string Signed(std::string_view op, const json& body, bool other = false,
                     std::string_view region = "us-east-1") const {
    return testing::SignedKmsRequest(Host(), op, body.dump(), other ? kOtherAkid : kAkid,
                                     other ? kOtherSecret : kSecret, region,
                                     protocol::FormatAmzDate(std::chrono::system_clock::now()));
  }
  RawHttpResponse Call(RawHttpClient& client, std::string_view op, const json& body,
                       bool other = false) const {
    auto r = client.RoundTrip(Signed(op, body, other));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r).value() : RawHttpResponse{};
  }
  // Creates a key (as the first account unless `other`); returns its ARN.
  std::string CreateKey(const json& body = json::object(), bool other = false) const {
    RawHttpClient c = Connect();
    RawHttpResponse r = Call(c, "CreateKey", body, other);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body, nullptr, false)["KeyMetadata"].value("Arn", "");
  }
  static std::string TypeOf(const RawHttpResponse& r) {
    const json body = json::parse(r.body, nullptr, false);
    return body.is_object() ? body.value("__type", "") : "";
  }

 private:
  std::string dir_;
  std::unique_ptr<LocalKmsServer> server_;
  std::thread runner_;
};

}  // namespace envelope::kms::server::quota_it
