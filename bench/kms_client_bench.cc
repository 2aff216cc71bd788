// GenerateDataKey round-trip latency through KmsClient (libcurl, reused keep-alive connection)
// against the local KMS server on loopback, and boto3 against the same server in the same run,
// printed side by side. Percentiles need every sample, so this is a plain program rather than a
// google-benchmark fixture.
//
// Usage: kms_client_bench [iterations=5000] [python3=python3]
// Target: p50 < 150 us for KmsClient with a reused connection.
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "kms/client/kms_client.h"
#include "kms/server/http/local_kms_server.h"

namespace {

using namespace envelope;
using namespace envelope::kms;

constexpr const char* kAkid = "AKIABENCHCLIENT00001";
constexpr const char* kSecret = "bench/client/secret/00000000000000000000";

struct Percentiles {
  double p50 = 0, p99 = 0, mean = 0;
  int n = 0;
};

Percentiles Summarize(std::vector<double> us) {
  Percentiles p;
  if (us.empty()) return p;
  std::sort(us.begin(), us.end());
  p.n = static_cast<int>(us.size());
  p.p50 = us[us.size() / 2];
  p.p99 = us[std::min(us.size() - 1, us.size() * 99 / 100)];
  double sum = 0;
  for (double v : us) sum += v;
  p.mean = sum / us.size();
  return p;
}

// boto3 in a child process: same endpoint, key and credentials; prints "p50 p99 mean n" in us.
Percentiles RunBoto3(const std::string& python, const std::string& url, const std::string& key,
                     int iterations) {
  const std::string script = R"PY(
import sys, time, boto3, botocore.config
url, key, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
c = boto3.client("kms", endpoint_url=url, region_name="us-east-1",
                 aws_access_key_id=")PY" + std::string(kAkid) + R"PY(",
                 aws_secret_access_key=")PY" + std::string(kSecret) + R"PY(",
                 config=botocore.config.Config(retries={"mode": "standard"}))
for _ in range(100): c.generate_data_key(KeyId=key, KeySpec="AES_256")
s = []
for _ in range(n):
    t = time.perf_counter_ns(); c.generate_data_key(KeyId=key, KeySpec="AES_256")
    s.append((time.perf_counter_ns() - t) / 1000.0)
s.sort()
print(s[len(s)//2], s[min(len(s)-1, len(s)*99//100)], sum(s)/len(s), len(s))
)PY";
  const std::string path = (std::filesystem::temp_directory_path() / "kms_client_bench.py").string();
  std::ofstream(path) << script;
  const std::string cmd = python + " " + path + " " + url + " " + key + " " +
                          std::to_string(iterations) + " 2>/dev/null";
  Percentiles p;
  if (FILE* f = ::popen(cmd.c_str(), "r")) {
    if (std::fscanf(f, "%lf %lf %lf %d", &p.p50, &p.p99, &p.mean, &p.n) != 4) p.n = 0;
    ::pclose(f);
  }
  std::filesystem::remove(path);
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  const int iterations = argc > 1 ? std::atoi(argv[1]) : 5000;
  const std::string python = argc > 2 ? argv[2] : "python3";
  std::string templ = (std::filesystem::temp_directory_path() / "kms-client-bench-XXXXXX").string();
  const std::string dir = ::mkdtemp(templ.data());
  std::ofstream(dir + "/config.json") << nlohmann::json{
      {"accounts",
       {{{"id", "111122223333"},
         {"access_keys", {{{"access_key_id", kAkid}, {"secret_access_key", kSecret}}}}}}}};
  server::ServeOptions so;
  so.listen = {"127.0.0.1:0"};
  so.data_dir = dir + "/data";
  so.config_file = dir + "/config.json";
  so.log_requests = false;
  auto server = server::LocalKmsServer::Create(so, false);
  if (!server.ok()) {
    std::fprintf(stderr, "server: %s\n", server.status().ToString().c_str());
    return 1;
  }
  std::thread runner([&] { (*server)->Run(); });
  const std::string url = "http://127.0.0.1:" + std::to_string((*server)->ports()[0]);

  ClientOptions o;
  o.endpoint_url = url;
  o.region = "us-east-1";
  o.credentials.access_key_id = kAkid;
  const std::string secret = kSecret;
  o.credentials.secret_access_key =
      SecretBytes(std::span(reinterpret_cast<const std::uint8_t*>(secret.data()), secret.size()));
  auto client = KmsClient::Create(std::move(o));
  if (!client.ok()) return 1;
  auto key = (*client)->CreateKey(CreateKeyRequest{});
  if (!key.ok()) {
    std::fprintf(stderr, "CreateKey: %s\n", key.status().ToString().c_str());
    return 1;
  }
  GenerateDataKeyRequest g;
  g.key_id = key->key_metadata.key_id;
  g.key_spec = "AES_256";
  for (int i = 0; i < 200; ++i) (void)(*client)->GenerateDataKey(g);  // warm up, open connection
  std::vector<double> us;
  us.reserve(iterations);
  for (int i = 0; i < iterations; ++i) {
    const auto t = std::chrono::steady_clock::now();
    auto r = (*client)->GenerateDataKey(g);
    const auto d = std::chrono::steady_clock::now() - t;
    if (!r.ok()) {
      std::fprintf(stderr, "GenerateDataKey: %s\n", r.status().ToString().c_str());
      return 1;
    }
    us.push_back(std::chrono::duration<double, std::micro>(d).count());
  }
  const Percentiles ours = Summarize(us);
  const KmsClientMetrics m = (*client)->metrics();
  const Percentiles boto = RunBoto3(python, url, g.key_id, std::max(200, iterations / 5));

  std::printf("GenerateDataKey round trip on loopback, local KMS server, reused connection\n");
  std::printf("%-26s %8s %10s %10s %10s\n", "client", "n", "p50 us", "p99 us", "mean us");
  std::printf("%-26s %8d %10.1f %10.1f %10.1f\n", "envelope KmsClient", ours.n, ours.p50, ours.p99,
              ours.mean);
  if (boto.n > 0) {
    std::printf("%-26s %8d %10.1f %10.1f %10.1f\n", "boto3 (standard retries)", boto.n, boto.p50,
                boto.p99, boto.mean);
    std::printf("p50 speed-up vs boto3: %.1fx\n", boto.p50 / ours.p50);
  } else {
    std::printf("boto3: SKIPPED (python3 with boto3 not available)\n");
  }
  std::printf("connections reused: %lld of %lld attempts; target p50 < 150 us: %s\n",
              static_cast<long long>(m.reused_connections), static_cast<long long>(m.attempts),
              ours.p50 < 150.0 ? "met" : "NOT met");
  (*server)->Shutdown();
  runner.join();
  std::filesystem::remove_all(dir);
  return 0;
}
