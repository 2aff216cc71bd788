#pragma once
// Our KmsClient against the in-process local KMS of quota_server_fixture.h: client options for the
// server's first account, the admin endpoint (fault rules), and the server's own request counters
// read from /_envelope/metrics. Shared by the client_* tests of this folder.
#include <charconv>
#include <chrono>
#include <cstdint>
#include <sstream>
#include <string>

#include "kms/client/kms_client.h"
#include "tests/integration/kms_quotas/quota_server_fixture.h"

namespace envelope::kms::server::quota_it {

inline SecretBytes SecretOf(std::string_view s) {
  return SecretBytes(std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
}

// Options for the first account of `server` over loopback HTTP.
inline ClientOptions ClientOptionsFor(const QuotaServer& server, RetryMode mode) {
  ClientOptions o;
  o.endpoint_url = "http://" + server.Host();
  o.region = "us-east-1";
  o.credentials.access_key_id = std::string(kAkid);
  o.credentials.secret_access_key = SecretOf(kSecret);
  o.retry_mode = mode;
  o.connect_timeout = std::chrono::milliseconds(1000);
  o.read_timeout = std::chrono::milliseconds(2000);
  o.operation_timeout = std::chrono::milliseconds(10000);
  return o;
}

// One admin request on a fresh loopback connection (loopback peers need no token).
inline RawHttpResponse AdminCall(const QuotaServer& server, std::string_view method,
                                 std::string_view target, std::string_view body = "") {
  RawHttpClient c = server.Connect();
  auto r = c.RoundTrip(testing::BuildRequest(method, target, {{"Host", server.Host()}}, body));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : RawHttpResponse{};
}

inline void AddFaultRule(const QuotaServer& server, const json& rule) {
  const RawHttpResponse r = AdminCall(server, "POST", "/_envelope/faults", rule.dump());
  ASSERT_EQ(r.status, 200) << r.body;
}

// What the server counted for one operation: answers by HTTP status, and throttles by quota.
struct ServerCounts {
  std::int64_t ok = 0;         // status 200
  std::int64_t errors = 0;     // any other status
  std::int64_t throttles = 0;  // envelope_kms_throttles_total (quota refusals)
};

// Sums the Prometheus series of `operation` from /_envelope/metrics.
inline ServerCounts ReadServerCounts(const QuotaServer& server, std::string_view operation) {
  const RawHttpResponse r = AdminCall(server, "GET", "/_envelope/metrics");
  EXPECT_EQ(r.status, 200);
  const std::string op_label = "operation=\"" + std::string(operation) + "\"";
  ServerCounts counts;
  std::istringstream lines(r.body);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#' || line.find(op_label) == std::string::npos) continue;
    const bool requests = line.starts_with("envelope_kms_requests_total{");
    if (!requests && !line.starts_with("envelope_kms_throttles_total{")) continue;
    const std::size_t space = line.rfind(' ');
    if (space == std::string::npos) continue;
    std::int64_t value = 0;  // counters are integers in this exposition
    const std::string_view text = std::string_view(line).substr(space + 1);
    std::from_chars(text.data(), text.data() + text.size(), value);
    if (!requests) {
      counts.throttles += value;
    } else {
      (line.find("status=\"200\"") != std::string::npos ? counts.ok : counts.errors) += value;
    }
  }
  return counts;
}

}  // namespace envelope::kms::server::quota_it
