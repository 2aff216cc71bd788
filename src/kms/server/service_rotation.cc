// KmsService: key rotation — EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus,
// RotateKeyOnDemand, ListKeyRotations, and the lazy automatic rotation.
#include <cstdio>

#include "kms/api/errors.h"
#include "kms/server/kms_service.h"

namespace envelope::kms::server {
namespace {

constexpr int kMaxOnDemandRotations = 10;
constexpr double kDay = 86400.0;

Status RequireRotatable(const KmsService::Resolved& k) {
  if (k.spec->family == KeyFamily::kSymmetric) return OkStatus();
  return UnsupportedOperationError(k.arn + " key spec " + k.key->key_spec +
                                   " does not support automatic or on-demand rotation.");
}

std::string VersionKey(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%010u", v);
  return buf;
}

}  // namespace

Status KmsService::RotateIfDue(const Resolved& r) {
  const KeyRecord& k = *r.key;
  if (!k.rotation_enabled || !k.next_rotation_date || *k.next_rotation_date > Now() ||
      k.state != "Enabled" || r.spec->family != KeyFamily::kSymmetric) {
    return OkStatus();
  }
  return MutateKey(r, [&](KeyRecord& rec) -> Status {
    if (!rec.next_rotation_date || *rec.next_rotation_date > Now()) return OkStatus();
    auto m = std::make_shared<KeyMaterial>();
    m->version = rec.materials.back()->version + 1;
    m->created = *rec.next_rotation_date;
    m->rotation_type = "AUTOMATIC";
    ENVELOPE_ASSIGN_OR_RETURN(m->secret, NewMaterial(*r.spec));
    rec.materials.push_back(std::move(m));
    rec.next_rotation_date = Now() + rec.rotation_period_days * kDay;
    return OkStatus();
  });
}

Result<Json> KmsService::SetRotation(const Caller& c, const Json& body, bool enable) {
  RequestReader r(body);
  ENVELOPE_ASSIGN_OR_RETURN(std::string key_id, r.String("KeyId", 1, 2048));
  std::optional<std::int64_t> period;
  if (enable) {
    ENVELOPE_ASSIGN_OR_RETURN(period, r.OptInt("RotationPeriodInDays", 90, 2560));
  }
  ENVELOPE_ASSIGN_OR_RETURN(Resolved k, ResolveKey(c, key_id, {enable ? "EnableKeyRotation"
                                                                      : "DisableKeyRotation"}));
  ENVELOPE_RETURN_IF_ERROR(RequireEnabled(k));
  ENVELOPE_RETURN_IF_ERROR(RequireRotatable(k));
  double now = Now();
  ENVELOPE_RETURN_IF_ERROR(MutateKey(k, [&](KeyRecord& rec) {
    rec.rotation_enabled = enable;
    if (enable) {
      rec.rotation_period_days = static_cast<int>(period.value_or(365));
      rec.next_rotation_date = now + rec.rotation_period_days * kDay;
    } else {
      rec.next_rotation_date.reset();
    }
    return OkStatus();
  }));
  return Json::object();
}

Result<Json> KmsService::EnableKeyRotation(const Caller& c, const Json& r) {
  return SetRotation(c, r, true);
}

Result<Json> KmsService::DisableKeyRotation(const Caller& c, const Json& r) {
  return SetRotation(c, r, false);
}

Result<Json> KmsService::GetKeyRotationStatus(const Caller& c, const Json& body) {
  RequestReader r(body);
  ENVELOPE_ASSIGN_OR_RETURN(std::string key_id, r.String("KeyId", 1, 2048));
  ENVELOPE_ASSIGN_OR_RETURN(Resolved k, ResolveKey(c, key_id, {"GetKeyRotationStatus", true}));
  ENVELOPE_RETURN_IF_ERROR(RequireRotatable(k));
  Json out = {{"KeyRotationEnabled", k.key->rotation_enabled}, {"KeyId", k.arn}};
  if (k.key->rotation_enabled) {
    out["RotationPeriodInDays"] = k.key->rotation_period_days;
    if (k.key->next_rotation_date) out["NextRotationDate"] = *k.key->next_rotation_date;
  }
  return out;
}

Result<Json> KmsService::RotateKeyOnDemand(const Caller& c, const Json& body) {
  RequestReader r(body);
  ENVELOPE_ASSIGN_OR_RETURN(std::string key_id, r.String("KeyId", 1, 2048));
  ENVELOPE_ASSIGN_OR_RETURN(Resolved k, ResolveKey(c, key_id, {"RotateKeyOnDemand"}));
  ENVELOPE_RETURN_IF_ERROR(RequireEnabled(k));
  ENVELOPE_RETURN_IF_ERROR(RequireRotatable(k));
  double now = Now();
  ENVELOPE_RETURN_IF_ERROR(MutateKey(k, [&](KeyRecord& rec) -> Status {
    int on_demand = 0;
    for (const auto& m : rec.materials) on_demand += m->rotation_type == "ON_DEMAND" ? 1 : 0;
    if (on_demand >= kMaxOnDemandRotations) {
      return LimitExceededError("The on-demand rotation limit of 10 has been reached for " +
                                k.arn + ".");
    }
    auto m = std::make_shared<KeyMaterial>();
    m->version = rec.materials.back()->version + 1;
    m->created = now;
    m->rotation_type = "ON_DEMAND";
    ENVELOPE_ASSIGN_OR_RETURN(m->secret, NewMaterial(*k.spec));
    rec.materials.push_back(std::move(m));
    return OkStatus();
  }));
  return Json{{"KeyId", k.arn}};
}

Result<Json> KmsService::ListKeyRotations(const Caller& c, const Json& body) {
  RequestReader r(body);
  ENVELOPE_ASSIGN_OR_RETURN(std::string key_id, r.String("KeyId", 1, 2048));
  ENVELOPE_ASSIGN_OR_RETURN(auto paging, ReadPaging(r));
  ENVELOPE_ASSIGN_OR_RETURN(Resolved k, ResolveKey(c, key_id, {"ListKeyRotations"}));
  ENVELOPE_RETURN_IF_ERROR(RequireRotatable(k));
  std::vector<const KeyMaterial*> rotations;
  std::vector<std::string> keys;
  for (const auto& m : k.key->materials) {
    if (m->rotation_type.empty()) continue;
    rotations.push_back(m.get());
    keys.push_back(VersionKey(m->version));
  }
  ENVELOPE_ASSIGN_OR_RETURN(Page page, Paginate(keys, paging.first, paging.second, 100));
  Json list = Json::array();
  for (std::size_t i = page.begin; i < page.end; ++i) {
    list.push_back({{"KeyId", k.arn},
                    {"RotationDate", rotations[i]->created},
                    {"RotationType", rotations[i]->rotation_type}});
  }
  Json out = {{"Rotations", std::move(list)}, {"Truncated", page.truncated}};
  if (page.next_marker) out["NextMarker"] = *page.next_marker;
  return out;
}

}  // namespace envelope::kms::server
