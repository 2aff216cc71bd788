// 1 KiB messages per second through the AWS KMS keyring and our KmsClient against a KMS endpoint
// (bench/kms_keyring_bench.sh runs it against `envelope kms serve` on loopback, next to the
// esdk-js peer). The settings match the peer's: suite 0478, frame 4096, context purpose=bench,
// and for "cache" a caching CMM of 100 entries, max age 60 s, at most 1000 messages per data key.
// A plain program (not google-benchmark) because it measures a fixed time, as the peer does.
//
// Usage (credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, region from AWS_REGION or
// us-east-1):
//   kms_keyring_bench create-key URL                       prints the new key's ARN
//   kms_keyring_bench encrypt URL KEY plain|cache SECONDS [THREADS=1]
// `encrypt` prints one JSON line: messages/s, KMS calls and attempts, failed messages.
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "envelope/envelope.h"
#include "envelope/keyrings.h"
#include "kms/client/kms_client.h"
#include "materials/aws_kms_keyring.h"

namespace {

using namespace envelope;
using Steady = std::chrono::steady_clock;

std::string Env(const char* name, const char* fallback = "") {
  const char* v = ::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

Result<std::shared_ptr<kms::KmsClient>> MakeClient(const std::string& url) {
  kms::ClientOptions o;
  o.endpoint_url = url;
  o.region = Env("AWS_REGION", "us-east-1");
  o.credentials.access_key_id = Env("AWS_ACCESS_KEY_ID");
  const std::string secret = Env("AWS_SECRET_ACCESS_KEY");
  o.credentials.secret_access_key =
      SecretBytes(std::span(reinterpret_cast<const std::uint8_t*>(secret.data()), secret.size()));
  ENVELOPE_ASSIGN_OR_RETURN(std::unique_ptr<kms::KmsClient> client,
                            kms::KmsClient::Create(std::move(o)));
  return std::shared_ptr<kms::KmsClient>(std::move(client));
}

Result<CmmPtr> MakeCmm(std::shared_ptr<kms::KmsClient> client, const std::string& key,
                       bool cache) {
  AwsKmsKeyringOptions options;
  options.key_ids = {key};
  options.client_supplier = [client](const std::string&) -> Result<std::shared_ptr<kms::KmsApi>> {
    return std::shared_ptr<kms::KmsApi>(client);
  };
  ENVELOPE_ASSIGN_OR_RETURN(KeyringPtr keyring, MakeAwsKmsKeyring(std::move(options)));
  CmmPtr cmm = MakeDefaultCmm(std::move(keyring));
  if (!cache) return cmm;
  CachingOptions caching;
  caching.capacity = 100;
  caching.max_age = std::chrono::seconds(60);
  caching.max_messages_encrypted = 1000;
  return MakeCachingCmm(std::move(cmm), caching);
}

int Encrypt(const std::string& url, const std::string& key, bool cache, double seconds,
            int threads) {
  auto client = MakeClient(url);
  if (!client.ok()) {
    std::fprintf(stderr, "%s\n", client.status().ToString().c_str());
    return 1;
  }
  auto cmm = MakeCmm(*client, key, cache);
  if (!cmm.ok()) {
    std::fprintf(stderr, "%s\n", cmm.status().ToString().c_str());
    return 1;
  }
  EncryptOptions options;
  options.encryption_context = {{"purpose", "bench"}};
  options.suite = AlgorithmSuite::kAes256GcmHkdfSha512CommitKey;
  options.frame_length = 4096;
  options.threads = 1;
  const std::vector<std::uint8_t> plaintext(1024, 0x5a);
  for (int i = 0; i < 50; ++i) {  // warm-up: connection, first data key, caches
    if (auto ct = EncryptBuffer(**cmm, options, plaintext); !ct.ok()) {
      std::fprintf(stderr, "%s\n", ct.status().ToString().c_str());
      return 1;
    }
  }
  const kms::KmsClientMetrics before = (*client)->metrics();
  std::atomic<std::int64_t> messages{0}, failed{0};
  const Steady::time_point start = Steady::now();
  const auto limit = std::chrono::duration<double>(seconds);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      while (Steady::now() - start < limit) {
        (EncryptBuffer(**cmm, options, plaintext).ok() ? messages : failed).fetch_add(1);
      }
    });
  }
  for (auto& w : workers) w.join();
  const double elapsed = std::chrono::duration<double>(Steady::now() - start).count();
  const kms::KmsClientMetrics after = (*client)->metrics();
  std::printf(
      "{\"peer\":\"envelope\",\"mode\":\"%s\",\"threads\":%d,\"seconds\":%.3f,\"messages\":%lld,"
      "\"failed\":%lld,\"msgPerS\":%.1f,\"kmsCalls\":%lld,\"kmsAttempts\":%lld}\n",
      cache ? "cache" : "plain", threads, elapsed, static_cast<long long>(messages.load()),
      static_cast<long long>(failed.load()), messages.load() / elapsed,
      static_cast<long long>(after.calls - before.calls),
      static_cast<long long>(after.attempts - before.attempts));
  return failed.load() == 0 ? 0 : 1;
}

int CreateKey(const std::string& url) {
  auto client = MakeClient(url);
  if (!client.ok()) {
    std::fprintf(stderr, "%s\n", client.status().ToString().c_str());
    return 1;
  }
  auto key = (*client)->CreateKey(kms::CreateKeyRequest{.description = "kms_keyring_bench"});
  if (!key.ok()) {
    std::fprintf(stderr, "%s\n", key.status().ToString().c_str());
    return 1;
  }
  std::printf("%s\n", key->key_metadata.arn.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 2 && args[0] == "create-key") return CreateKey(args[1]);
  if ((args.size() == 5 || args.size() == 6) && args[0] == "encrypt" &&
      (args[3] == "plain" || args[3] == "cache")) {
    const int threads = args.size() == 6 ? std::atoi(args[5].c_str()) : 1;
    return Encrypt(args[1], args[2], args[3] == "cache", std::atof(args[4].c_str()),
                   threads < 1 ? 1 : threads);
  }
  std::fprintf(stderr,
               "usage: kms_keyring_bench create-key URL\n"
               "       kms_keyring_bench encrypt URL KEY plain|cache SECONDS [THREADS]\n");
  return 2;
}
