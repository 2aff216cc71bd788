// libFuzzer target: Dispatch with an arbitrary operation name and JSON body against a LocalKms in
// a temporary directory. Input layout: the bytes up to the first '\n' name the operation; the rest
// is the body. A few keys are created first so that key-taking operations reach deep code.
#include <stdlib.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "kms/server/local_kms.h"

using envelope::kms::server::LocalKms;

namespace {

LocalKms* Kms() {
  static LocalKms* kms = [] {
    char dir[] = "/tmp/envelope-kms-fuzz-XXXXXX";
    if (mkdtemp(dir) == nullptr) abort();
    auto opened = LocalKms::Open({dir, ""});
    if (!opened.ok()) abort();
    LocalKms* k = opened->release();
    auto caller = envelope::kms::server::DefaultLocalCaller("us-east-1");
    (void)k->dispatcher().Dispatch(caller, "CreateKey", "{}");
    (void)k->dispatcher().Dispatch(caller, "CreateKey", R"({"KeySpec":"HMAC_256","KeyUsage":"GENERATE_VERIFY_MAC"})");
    (void)k->dispatcher().Dispatch(caller, "CreateKey", R"({"KeySpec":"ECC_NIST_P256","KeyUsage":"SIGN_VERIFY"})");
    return k;
  }();
  return kms;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  std::size_t nl = input.find('\n');
  std::string op = nl == std::string::npos ? input : input.substr(0, nl);
  std::string body = nl == std::string::npos ? "" : input.substr(nl + 1);
  // Keep the database from growing without bound: no key creation from fuzz inputs.
  if (op == "CreateKey" || op == "RotateKeyOnDemand") return 0;
  auto caller = envelope::kms::server::DefaultLocalCaller("us-east-1");
  (void)Kms()->dispatcher().Dispatch(caller, op, body);
  return 0;
}
