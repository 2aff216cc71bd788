// KmsService: grants — CreateGrant, ListGrants, RetireGrant, RevokeGrant. A grant lets its
// grantee perform the listed operations on the key (see policy.h GrantAllows), also across
// accounts.
#include <algorithm>

#include "core/encoding.h"
#include "kms/api/arn.h"
#include "kms/api/errors.h"
#include "kms/server/kms_service.h"
#include "kms/server/policy.h"

namespace envelope::kms::server {
namespace {

const std::vector<std::string_view> kGrantOperations = {
    "Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom",
    "ReEncryptTo", "Sign", "Verify", "GetPublicKey", "CreateGrant", "RetireGrant", "DescribeKey",
    "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext", "GenerateMac", "VerifyMac",
    "DeriveSharedSecret"};
constexpr std::size_t kGrantIdHexBytes = 32;  // 64 hex characters
constexpr std::string_view kTokenSeparator = ".";

Status CheckPrincipal(const std::string& p, std::string_view label) {
  if (p.empty()) return LengthViolation(p, label, 1, false);
  if (p.size() > 256) return LengthViolation(p, label, 256, true);
  for (char ch : p) {
    bool ok = std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' ||
              std::string_view("+=,.@:/-").find(ch) != std::string_view::npos;
    if (!ok) return PatternViolation(p, label, "^[\\w+=,.@:/-]+$");
  }
  return OkStatus();
}

// The grant id is embedded in the token so RetireGrant can find the grant from the token alone.
std::string GrantIdFromToken(const std::string& token) {
  auto dot = token.find(kTokenSeparator);
  return dot == std::string::npos ? "" : token.substr(0, dot);
}

Json GrantJson(const GrantRecord& g, const std::string& key_arn) {
  Json j = {{"KeyId", key_arn},
            {"GrantId", g.grant_id},
            {"CreationDate", g.creation_date},
            {"GranteePrincipal", g.grantee_principal},
            {"IssuingAccount", g.issuing_account},
            {"Operations", g.operations}};
  if (!g.name.empty()) j["Name"] = g.name;
  if (!g.retiring_principal.empty()) j["RetiringPrincipal"] = g.retiring_principal;
  Json constraints = Json::object();
  if (!g.context_equals.empty()) constraints["EncryptionContextEquals"] = g.context_equals;
  if (!g.context_subset.empty()) constraints["EncryptionContextSubset"] = g.context_subset;
  if (!constraints.empty()) j["Constraints"] = std::move(constraints);
  return j;
}

}  // namespace

Result<Json> KmsService::CreateGrant(const Caller& c, const Json& body) {
  RequestReader r(body);
  ENVELOPE_ASSIGN_OR_RETURN(std::string key_id, r.String("KeyId", 1, 2048));
  GrantRecord g;
  ENVELOPE_ASSIGN_OR_RETURN(g.grantee_principal, r.String("GranteePrincipal", 0, SIZE_MAX));
  ENVELOPE_RETURN_IF_ERROR(CheckPrincipal(g.grantee_principal, "granteePrincipal"));
  ENVELOPE_ASSIGN_OR_RETURN(auto retiring, r.OptString("RetiringPrincipal"));
  if (retiring) ENVELOPE_RETURN_IF_ERROR(CheckPrincipal(*retiring, "retiringPrincipal"));
  g.retiring_principal = retiring.value_or("");
  ENVELOPE_ASSIGN_OR_RETURN(g.operations, r.StringList("Operations", 100, 1, 64));
  if (g.operations.empty()) return ValidationErrorNull("Operations");
  for (const std::string& op : g.operations) {
    bool known = false;
    for (std::string_view k : kGrantOperations) known = known || op == k;
    if (!known) return EnumViolation(op, "operations", kGrantOperations);
  }
  ENVELOPE_ASSIGN_OR_RETURN(auto name, r.OptString("Name", 1, 256));
  g.name = name.value_or("");
  if (const Json* cons = r.Find("Constraints")) {
    if (!cons->is_object()) return SerializationError("Field Constraints must be an object");
    RequestReader cr(*cons);
    ENVELOPE_ASSIGN_OR_RETURN(g.context_equals, cr.StringMap("EncryptionContextEquals"));
    ENVELOPE_ASSIGN_OR_RETURN(g.context_subset, cr.StringMap("EncryptionContextSubset"));
  }
  ENVELOPE_RETURN_IF_ERROR(r.GrantTokens().status());
  ENVELOPE_ASSIGN_OR_RETURN(Resolved k, ResolveKey(c, key_id, {"CreateGrant", true}));
  ENVELOPE_RETURN_IF_ERROR(RequireEnabled(k));
  Bytes id(kGrantIdHexBytes), secret(32);
  ENVELOPE_RETURN_IF_ERROR(random_.Fill(id));
  ENVELOPE_RETURN_IF_ERROR(random_.Fill(secret));
  g.grant_id = HexEncode(id);
  g.grant_token = g.grant_id + std::string(kTokenSeparator) + Base64Encode(secret);
  g.account = k.key->account;
  g.region = k.key->region;
  g.key_id = k.key->key_id;
  g.issuing_account = AccountRootArn(k.partition, c.account_id);
  g.creation_date = Now();
  ENVELOPE_RETURN_IF_ERROR(store_.PutGrant(g));
  return Json{{"GrantToken", g.grant_token}, {"GrantId", g.grant_id}};
}

Result<Json> KmsService::ListGrants(const Caller& c, const Json& body) {
  RequestReader r(body);
  ENVELOPE_ASSIGN_OR_RETURN(std::string key_id, r.String("KeyId", 1, 2048));
  ENVELOPE_ASSIGN_OR_RETURN(auto paging, ReadPaging(r));
  ENVELOPE_ASSIGN_OR_RETURN(auto grant_id, r.OptString("GrantId", 1, 128));
  ENVELOPE_ASSIGN_OR_RETURN(auto grantee, r.OptString("GranteePrincipal", 1, 256));
  ENVELOPE_ASSIGN_OR_RETURN(Resolved k, ResolveKey(c, key_id, {"ListGrants", true}));
  std::vector<GrantPtr> grants;
  std::vector<std::string> ids;
  for (const GrantPtr& g : store_.ListGrants(k.key->account, k.key->region, k.key->key_id)) {
    if (grant_id && g->grant_id != *grant_id) continue;
    if (grantee && g->grantee_principal != *grantee) continue;
    grants.push_back(g);
    ids.push_back(g->grant_id);
  }
  ENVELOPE_ASSIGN_OR_RETURN(Page page, Paginate(ids, paging.first, paging.second, 50));
  Json list = Json::array();
  for (std::size_t i = page.begin; i < page.end; ++i) list.push_back(GrantJson(*grants[i], k.arn));
  Json out = {{"Grants", std::move(list)}, {"Truncated", page.truncated}};
  if (page.next_marker) out["NextMarker"] = *page.next_marker;
  return out;
}

// The key's account, the grant's retiring principal, or a grantee holding RetireGrant may retire.
Result<Json> KmsService::RetireGrant(const Caller& c, const Json& body) {
  RequestReader r(body);
  ENVELOPE_ASSIGN_OR_RETURN(auto token, r.OptString("GrantToken", 1, 8192));
  ENVELOPE_ASSIGN_OR_RETURN(auto key_id, r.OptString("KeyId", 1, 2048));
  ENVELOPE_ASSIGN_OR_RETURN(auto grant_id, r.OptString("GrantId", 1, 128));
  GrantPtr g;
  if (token) {
    g = store_.GetGrant(GrantIdFromToken(*token));
    if (g == nullptr || g->grant_token != *token) {
      return InvalidGrantTokenError("The grant token is not valid.");
    }
  } else {
    if (!key_id || !grant_id) {
      return ValidationError("RetireGrant needs either GrantToken, or both KeyId and GrantId.");
    }
    ENVELOPE_ASSIGN_OR_RETURN(KeyIdentifier id, ParseKeyIdentifier(*key_id));
    if (id.kind != KeyIdKind::kKeyArn) return InvalidArnError("KeyId must be a key ARN.");
    g = store_.GetGrant(*grant_id);
    if (g == nullptr || g->key_id != id.key_id || g->account != id.account_id) {
      return NotFoundError("Grant ID " + *grant_id + " not found");
    }
  }
  std::string partition = PartitionForRegion(g->region);
  bool owner = c.account_id == g->account;
  bool retiring = !g->retiring_principal.empty() &&
                  PrincipalMatches(g->retiring_principal, c, partition);
  bool grantee = PrincipalMatches(g->grantee_principal, c, partition) &&
                 std::find(g->operations.begin(), g->operations.end(), "RetireGrant") !=
                     g->operations.end();
  if (!owner && !retiring && !grantee) {
    return AccessDeniedError("You are not allowed to retire grant " + g->grant_id + ".");
  }
  ENVELOPE_RETURN_IF_ERROR(store_.DeleteGrant(g->grant_id));
  return Json::object();
}

Result<Json> KmsService::RevokeGrant(const Caller& c, const Json& body) {
  RequestReader r(body);
  ENVELOPE_ASSIGN_OR_RETURN(std::string key_id, r.String("KeyId", 1, 2048));
  ENVELOPE_ASSIGN_OR_RETURN(std::string grant_id, r.String("GrantId", 1, 128));
  ENVELOPE_ASSIGN_OR_RETURN(Resolved k, ResolveKey(c, key_id, {"RevokeGrant", true}));
  GrantPtr g = store_.GetGrant(grant_id);
  if (g == nullptr || g->key_id != k.key->key_id || g->account != k.key->account) {
    return NotFoundError("Grant ID " + grant_id + " not found");
  }
  ENVELOPE_RETURN_IF_ERROR(store_.DeleteGrant(grant_id));
  return Json::object();
}

}  // namespace envelope::kms::server
