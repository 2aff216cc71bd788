// KmsService: tags and key policies — TagResource, UntagResource, ListResourceTags,
// GetKeyPolicy, PutKeyPolicy, ListKeyPolicies.
#include "kms/api/errors.h"
#include "kms/server/kms_service.h"
#include "kms/server/service_internal.h"

namespace envelope::kms::server {
namespace {

constexpr std::size_t kMaxTagsPerKey = 50;

Status CheckPolicyName(const std::optional<std::string>& name) {
  if (name && *name != "default") {
    return NotFoundError("No such policy exists: " + *name + ". The only valid policy name is "
                         "default.");
  }
  return OkStatus();
}

}  // namespace

Result<std::vector<Tag>> ReadTags(const RequestReader& r, std::string_view name) {
  std::vector<Tag> tags;
  const Json* v = r.Find(name);
  if (v == nullptr) return tags;
  if (!v->is_array()) return SerializationError("Field " + std::string(name) + " must be a list");
  for (const Json& t : *v) {
    if (!t.is_object()) return SerializationError("Each tag must be an object");
    RequestReader tr(t);
    ENVELOPE_ASSIGN_OR_RETURN(auto key, tr.OptString("TagKey"));
    ENVELOPE_ASSIGN_OR_RETURN(auto value, tr.OptString("TagValue"));
    if (!key) return ValidationErrorNull("TagKey");
    if (!value) return ValidationErrorNull("TagValue");
    tags.push_back({*key, *value});
  }
  return tags;
}

Result<Json> KmsService::TagResource(const Caller& c, const Json& body) {
  RequestReader r(body);
  ENVELOPE_ASSIGN_OR_RETURN(std::string key_id, r.String("KeyId", 1, 2048));
  ENVELOPE_ASSIGN_OR_RETURN(std::vector<Tag> tags, ReadTags(r, "Tags"));
  ENVELOPE_RETURN_IF_ERROR(ValidateTags(tags));
  ENVELOPE_ASSIGN_OR_RETURN(Resolved k, ResolveKey(c, key_id, {"TagResource"}));
  ENVELOPE_RETURN_IF_ERROR(RequireNotPendingDeletion(k));
  ENVELOPE_RETURN_IF_ERROR(MutateKey(k, [&](KeyRecord& rec) {
    for (const Tag& t : tags) rec.tags[t.key] = t.value;
    if (rec.tags.size() > kMaxTagsPerKey) return TagError("A key can have at most 50 tags.");
    return OkStatus();
  }));
  return Json::object();
}

Result<Json> KmsService::UntagResource(const Caller& c, const Json& body) {
  RequestReader r(body);
  ENVELOPE_ASSIGN_OR_RETURN(std::string key_id, r.String("KeyId", 1, 2048));
  ENVELOPE_ASSIGN_OR_RETURN(auto keys, r.StringList("TagKeys", 50, 1, 128));
  ENVELOPE_ASSIGN_OR_RETURN(Resolved k, ResolveKey(c, key_id, {"UntagResource"}));
  ENVELOPE_RETURN_IF_ERROR(RequireNotPendingDeletion(k));
  ENVELOPE_RETURN_IF_ERROR(MutateKey(k, [&](KeyRecord& rec) {
    for (const std::string& t : keys) rec.tags.erase(t);
    return OkStatus();
  }));
  return Json::object();
}

Result<Json> KmsService::ListResourceTags(const Caller& c, const Json& body) {
  RequestReader r(body);
  ENVELOPE_ASSIGN_OR_RETURN(std::string key_id, r.String("KeyId", 1, 2048));
  ENVELOPE_ASSIGN_OR_RETURN(auto paging, ReadPaging(r));
  ENVELOPE_ASSIGN_OR_RETURN(Resolved k, ResolveKey(c, key_id, {"ListResourceTags"}));
  std::vector<std::string> names;
  for (const auto& [tk, tv] : k.key->tags) names.push_back(tk);
  ENVELOPE_ASSIGN_OR_RETURN(Page page, Paginate(names, paging.first, paging.second, 50));
  Json tags = Json::array();
  for (std::size_t i = page.begin; i < page.end; ++i) {
    tags.push_back({{"TagKey", names[i]}, {"TagValue", k.key->tags.at(names[i])}});
  }
  Json out = {{"Tags", std::move(tags)}, {"Truncated", page.truncated}};
  if (page.next_marker) out["NextMarker"] = *page.next_marker;
  return out;
}

Result<Json> KmsService::GetKeyPolicy(const Caller& c, const Json& body) {
  RequestReader r(body);
  ENVELOPE_ASSIGN_OR_RETURN(std::string key_id, r.String("KeyId", 1, 2048));
  ENVELOPE_ASSIGN_OR_RETURN(auto name, r.OptString("PolicyName", 1, 128));
  ENVELOPE_RETURN_IF_ERROR(CheckPolicyName(name));
  ENVELOPE_ASSIGN_OR_RETURN(Resolved k, ResolveKey(c, key_id, {"GetKeyPolicy"}));
  return Json{{"Policy", k.key->policy}, {"PolicyName", "default"}};
}

Result<Json> KmsService::PutKeyPolicy(const Caller& c, const Json& body) {
  RequestReader r(body);
  ENVELOPE_ASSIGN_OR_RETURN(std::string key_id, r.String("KeyId", 1, 2048));
  ENVELOPE_ASSIGN_OR_RETURN(auto name, r.OptString("PolicyName", 1, 128));
  ENVELOPE_ASSIGN_OR_RETURN(auto policy, r.OptString("Policy"));
  ENVELOPE_ASSIGN_OR_RETURN(auto bypass, r.OptBool("BypassPolicyLockoutSafetyCheck"));
  (void)bypass;  // the lockout check is not emulated: the owner account can always manage its keys
  if (!policy) return ValidationErrorNull("Policy");
  ENVELOPE_RETURN_IF_ERROR(ValidatePolicyText(*policy));
  ENVELOPE_RETURN_IF_ERROR(CheckPolicyName(name));
  ENVELOPE_ASSIGN_OR_RETURN(Resolved k, ResolveKey(c, key_id, {"PutKeyPolicy"}));
  ENVELOPE_RETURN_IF_ERROR(RequireNotPendingDeletion(k));
  ENVELOPE_RETURN_IF_ERROR(MutateKey(k, [&](KeyRecord& rec) {
    rec.policy = *policy;  // stored exactly as given
    return OkStatus();
  }));
  return Json::object();
}

Result<Json> KmsService::ListKeyPolicies(const Caller& c, const Json& body) {
  RequestReader r(body);
  ENVELOPE_ASSIGN_OR_RETURN(std::string key_id, r.String("KeyId", 1, 2048));
  ENVELOPE_ASSIGN_OR_RETURN(auto paging, ReadPaging(r));
  (void)paging;  // there is only ever one policy
  ENVELOPE_ASSIGN_OR_RETURN(Resolved k, ResolveKey(c, key_id, {"ListKeyPolicies"}));
  return Json{{"PolicyNames", Json::array({"default"})}, {"Truncated", false}};
}

}  // namespace envelope::kms::server
