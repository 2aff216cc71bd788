// A local KMS server for the boto3 tests: `quota_test_server CONFIG DATA_DIR` listens on
// 127.0.0.1:0, prints "PORT <n>" on stdout and serves until SIGTERM. (It stands in for
// `envelope kms serve`, so these tests do not depend on the CLI.)
#include <cstdio>

#include "kms/server/http/local_kms_server.h"

int main(int argc, char** argv) {
  using namespace envelope::kms::server;
  if (argc != 3) {
    std::fprintf(stderr, "usage: quota_test_server CONFIG DATA_DIR\n");
    return 2;
  }
  ServeOptions options;
  options.listen = {"127.0.0.1:0"};
  options.config_file = argv[1];
  options.data_dir = argv[2];
  options.log_requests = false;
  auto server = LocalKmsServer::Create(options, /*handle_signals=*/true);
  if (!server.ok()) {
    std::fprintf(stderr, "%s\n", server.status().ToString().c_str());
    return 1;
  }
  std::printf("PORT %u\n", static_cast<unsigned>((*server)->ports()[0]));
  std::fflush(stdout);
  (*server)->Run();
  return 0;
}
