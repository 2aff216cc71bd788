#pragma once
// Test fixture for the KMS service: a fresh store in a temporary directory, a controllable clock,
// and JSON calls through the real Dispatcher (so the codec is exercised too).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/encoding.h"
#include "core/random.h"
#include "kms/server/dispatcher_impl.h"
#include "kms/server/key_store.h"
#include "kms/server/kms_service.h"

namespace envelope::kms::server::testing {

class FakeClock final : public Clock {
 public:
  TimePoint Now() const override { return TimePoint(wall_.time_since_epoch()); }
  std::chrono::system_clock::time_point WallNow() const override { return wall_; }
  void SleepFor(Duration d) override { Advance(d); }
  void Advance(Duration d) { wall_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(d); }

 private:
  std::chrono::system_clock::time_point wall_{std::chrono::seconds(1700000000)};
};

inline std::string MakeTempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "kms-test-XXXXXX").string();
  char* d = mkdtemp(tmpl.data());
  EXPECT_NE(d, nullptr);
  return tmpl;
}

inline const Caller kAlice{"111122223333", "us-east-1", "", "arn:aws:iam::111122223333:root"};
inline const Caller kBob{"444455556666", "us-east-1", "", "arn:aws:iam::444455556666:user/bob"};

class KmsServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir();
    auto store = KeyStore::Open(dir_ + "/keys.db", SecretBytes(Bytes(32, 0x42)));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    service_ = std::make_unique<KmsService>(*store_, clock_, SystemRandom());
    dispatcher_ = std::make_unique<ServiceDispatcher>(*service_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Runs an operation; on failure returns {"__type": ..., "message": ...}.
  Json Call(const std::string& op, const Json& body, const Caller& caller = kAlice) {
    auto r = dispatcher_->Dispatch(caller, op, body.dump());
    if (!r.ok()) return Json{{"__type", r.status().error_type()}, {"message", r.status().message()}};
    return Json::parse(*r);
  }
  static std::string Type(const Json& j) { return j.value("__type", ""); }

  std::string CreateKey(const Json& body = Json::object(), const Caller& caller = kAlice) {
    Json r = Call("CreateKey", body, caller);
    EXPECT_TRUE(r.contains("KeyMetadata")) << r.dump();
    return r["KeyMetadata"].value("Arn", "");
  }
  static std::string B64(std::string_view s) { return Base64Encode(AsBytes(s)); }
  static std::string Unb64(const Json& v) {
    auto b = Base64Decode(v.get<std::string>());
    return b.ok() ? std::string(AsChars(*b)) : "<bad base64>";
  }

  std::string dir_;
  FakeClock clock_;
  std::unique_ptr<KeyStore> store_;
  std::unique_ptr<KmsService> service_;
  std::unique_ptr<ServiceDispatcher> dispatcher_;
};

}  // namespace envelope::kms::server::testing
