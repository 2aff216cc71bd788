#include "kms/server/http/metrics_admin.h"

#include <nlohmann/json.hpp>

#include "kms/protocol/sigv4.h"

namespace envelope::kms::server {
namespace {

using nlohmann::json;

HttpResponse JsonAnswer(int status, const json& body) {
  HttpResponse r;
  r.status = status;
  r.content_type = "application/json";
  r.body = body.dump();
  return r;
}

HttpResponse Error(int status, std::string_view type, std::string_view message) {
  HttpResponse r;
  r.status = status;
  r.content_type = "application/json";
  r.body = JsonErrorBody(type, message);
  return r;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

bool IsLoopback(std::string_view remote) {
  return remote.starts_with("127.") || remote.starts_with("[::1]") ||
         remote.starts_with("[::ffff:127.");
}

// The value of `name` in a query string (no percent-decoding: ids and Regions need none).
std::string QueryParam(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    std::string_view pair = query.substr(0, query.find('&'));
    query.remove_prefix(std::min(query.size(), pair.size() + 1));
    if (pair.starts_with(name) && pair.size() > name.size() && pair[name.size()] == '=') {
      return std::string(pair.substr(name.size() + 1));
    }
  }
  return "";
}

}  // namespace

bool AdminEndpoint::Authorized(const HttpRequest& request) const {
  if (token_.empty()) return IsLoopback(request.remote);
  const std::string* header = protocol::FindHeader(request.headers, "authorization");
  if (header == nullptr || !header->starts_with("Bearer ")) return false;
  return ConstantTimeEquals(std::string_view(*header).substr(7), token_);
}

HttpResponse AdminEndpoint::Handle(const HttpRequest& request) {
  if (!Authorized(request)) {
    return Error(403, "AccessDeniedException", "The admin endpoint needs the admin token.");
  }
  const std::size_t qmark = request.target.find('?');
  const std::string_view path = std::string_view(request.target).substr(0, qmark);
  const std::string_view query =
      qmark == std::string::npos ? "" : std::string_view(request.target).substr(qmark + 1);
  if (path == "/_envelope/faults") return Faults(request);
  if (request.method != "GET") {
    return Error(405, "UnknownOperationException", "Only GET is allowed here.");
  }
  if (path == "/_envelope/metrics") return Metrics();
  if (path == "/_envelope/quotas") return Quotas(query);
  return Error(404, "UnknownOperationException", "No such admin endpoint.");
}

HttpResponse AdminEndpoint::Metrics() const {
  std::string out = metrics_.Prometheus();
  out += "# TYPE envelope_kms_quota_usage gauge\n";
  std::string limits = "# TYPE envelope_kms_quota_limit gauge\n";
  for (const QuotaEngine::BucketRow& b : quotas_.Buckets()) {
    const std::string labels = "{account=\"" + PromLabel(b.account) + "\",region=\"" +
                               PromLabel(b.region) + "\",quota=\"" + PromLabel(b.quota_id) + "\"}";
    out += "envelope_kms_quota_usage" + labels + " " + std::to_string(b.usage) + "\n";
    limits += "envelope_kms_quota_limit" + labels + " " + std::to_string(b.value) + "\n";
  }
  HttpResponse r;
  r.content_type = "text/plain; version=0.0.4";
  r.body = out + limits;
  return r;
}

HttpResponse AdminEndpoint::Quotas(std::string_view query) const {
  const std::string account = QueryParam(query, "account");
  std::string region = QueryParam(query, "region");
  if (account.empty()) return Error(400, "ValidationException", "account= is required.");
  if (region.empty()) region = "us-east-1";
  json rows = json::array();
  for (const QuotaEngine::UsageRow& u : quotas_.Usage(account, region)) {
    rows.push_back({{"QuotaCode", u.quota_id}, {"QuotaName", u.name}, {"Value", u.value},
                    {"Usage", u.usage}, {"WindowSeconds", u.window_s}, {"Unit", "None"},
                    {"Adjustable", true}});
  }
  return JsonAnswer(200, {{"ServiceCode", "kms"}, {"Account", account}, {"Region", region},
                    {"Enabled", quotas_.enabled()},
                    {"Edition", QuotaEditionName(quotas_.config().edition)}, {"Quotas", rows}});
}

HttpResponse AdminEndpoint::Faults(const HttpRequest& request) {
  if (request.method == "GET") return JsonAnswer(200, faults_.ListJson());
  if (request.method == "DELETE") {
    faults_.Clear();
    return JsonAnswer(200, faults_.ListJson());
  }
  if (request.method != "POST") {
    return Error(405, "UnknownOperationException", "Use GET, POST or DELETE.");
  }
  json body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return Error(400, "SerializationException", "The body is not JSON.");
  Result<std::vector<std::string>> ids = faults_.AddJson(body);
  if (!ids.ok()) return Error(400, "ValidationException", ids.status().message());
  return JsonAnswer(200, {{"ids", *ids}});
}

}  // namespace envelope::kms::server
