#include "kms/protocol/json_codec.h"

#include <nlohmann/json.hpp>

#include "core/encoding.h"
#include "kms/api/errors.h"

namespace envelope::kms::protocol {
namespace {

using Json = nlohmann::json;

void PutContext(Json& j, const char* name, const EncryptionContext& ctx) {
  if (!ctx.empty()) {
    j[name] = ctx;
  }
}
void PutTokens(Json& j, const std::vector<std::string>& tokens) {
  if (!tokens.empty()) {
    j["GrantTokens"] = tokens;
  }
}
template <typename T>
void PutOpt(Json& j, const char* name, const std::optional<T>& v) {
  if (v) {
    j[name] = *v;
  }
}
std::string Dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

// Reads members of a response object; the first type error is kept and reported once.
class Reader {
 public:
  Reader(const Json& j, std::string_view op) : j_(j), op_(op) {}
  std::string Str(const char* name) { return OptStr(name).value_or(std::string()); }
  std::optional<std::string> OptStr(const char* name) {
    const Json* v = Find(name, Json::value_t::string);
    return v ? std::optional<std::string>(v->get<std::string>()) : std::nullopt;
  }
  std::optional<double> OptNum(const char* name) {
    auto it = j_.find(name);
    if (it == j_.end() || it->is_null()) return std::nullopt;
    if (!it->is_number()) return Fail(name), std::nullopt;
    return it->get<double>();
  }
  bool Bool(const char* name) {
    const Json* v = Find(name, Json::value_t::boolean);
    return v ? v->get<bool>() : false;
  }
  Bytes Blob(const char* name) {
    const Json* v = Find(name, Json::value_t::string);
    if (!v) return {};
    Result<Bytes> b = Base64Decode(v->get<std::string>());
    if (!b.ok()) return Fail(name), Bytes{};
    return std::move(b).value();
  }
  SecretBytes Secret(const char* name) {
    Bytes b = Blob(name);
    SecretBytes s(b);
    std::fill(b.begin(), b.end(), 0);
    return s;
  }
  std::vector<std::string> StrList(const char* name) {
    std::vector<std::string> out;
    const Json* v = Find(name, Json::value_t::array);
    if (!v) return out;
    for (const Json& e : *v) {
      if (!e.is_string()) return Fail(name), out;
      out.push_back(e.get<std::string>());
    }
    return out;
  }
  const Json* Array(const char* name) { return Find(name, Json::value_t::array); }
  const Json* Object(const char* name) { return Find(name, Json::value_t::object); }
  Status status() const {
    if (bad_.empty()) return OkStatus();
    return Internal("kms: malformed " + std::string(op_) + " response: member " + bad_ +
                    " has the wrong type or encoding");
  }
  void Fail(std::string_view name) {
    if (bad_.empty()) bad_ = std::string(name);
  }

 private:
  const Json* Find(const char* name, Json::value_t type) {
    auto it = j_.find(name);
    if (it == j_.end() || it->is_null()) return nullptr;
    if (it->type() != type) return Fail(name), nullptr;
    return &*it;
  }
  const Json& j_;
  std::string_view op_;
  std::string bad_;
};

Result<Json> ParseObject(std::string_view body, std::string_view op) {
  Json j = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Internal("kms: malformed " + std::string(op) + " response: not a JSON object");
  }
  return j;
}

KeyMetadata ReadKeyMetadata(Reader& r) {
  KeyMetadata m;
  m.aws_account_id = r.Str("AWSAccountId");
  m.key_id = r.Str("KeyId");
  m.arn = r.Str("Arn");
  m.creation_date = r.OptNum("CreationDate").value_or(0);
  m.enabled = r.Bool("Enabled");
  m.description = r.Str("Description");
  m.key_usage = r.Str("KeyUsage");
  m.key_state = r.Str("KeyState");
  m.deletion_date = r.OptNum("DeletionDate");
  if (auto d = r.OptNum("PendingDeletionWindowInDays")) m.pending_deletion_window_in_days = *d;
  m.origin = r.Str("Origin");
  m.key_manager = r.Str("KeyManager");
  m.key_spec = r.OptStr("KeySpec").value_or(r.Str("CustomerMasterKeySpec"));
  m.encryption_algorithms = r.StrList("EncryptionAlgorithms");
  m.signing_algorithms = r.StrList("SigningAlgorithms");
  m.mac_algorithms = r.StrList("MacAlgorithms");
  m.multi_region = r.Bool("MultiRegion");
  return m;
}

Result<KeyMetadata> ParseMetadataResponse(std::string_view body, std::string_view op) {
  ENVELOPE_ASSIGN_OR_RETURN(Json j, ParseObject(body, op));
  Reader top(j, op);
  const Json* meta = top.Object("KeyMetadata");
  ENVELOPE_RETURN_IF_ERROR(top.status());
  if (meta == nullptr) return Internal("kms: malformed " + std::string(op) + " response: no KeyMetadata");
  Reader r(*meta, op);
  KeyMetadata m = ReadKeyMetadata(r);
  ENVELOPE_RETURN_IF_ERROR(r.status());
  return m;
}

}  // namespace

std::string TargetFor(std::string_view operation) {
  return "TrentService." + std::string(operation);
}

std::string SerializeRequest(const EncryptRequest& r) {
  Json j = {{"KeyId", r.key_id}, {"Plaintext", Base64Encode(r.plaintext.span())}};
  PutContext(j, "EncryptionContext", r.encryption_context);
  PutTokens(j, r.grant_tokens);
  PutOpt(j, "EncryptionAlgorithm", r.encryption_algorithm);
  return Dump(j);
}

std::string SerializeRequest(const DecryptRequest& r) {
  Json j = {{"CiphertextBlob", Base64Encode(r.ciphertext_blob)}};
  PutContext(j, "EncryptionContext", r.encryption_context);
  PutTokens(j, r.grant_tokens);
  PutOpt(j, "KeyId", r.key_id);
  PutOpt(j, "EncryptionAlgorithm", r.encryption_algorithm);
  return Dump(j);
}

std::string SerializeRequest(const ReEncryptRequest& r) {
  Json j = {{"CiphertextBlob", Base64Encode(r.ciphertext_blob)},
            {"DestinationKeyId", r.destination_key_id}};
  PutContext(j, "SourceEncryptionContext", r.source_encryption_context);
  PutContext(j, "DestinationEncryptionContext", r.destination_encryption_context);
  PutOpt(j, "SourceKeyId", r.source_key_id);
  PutOpt(j, "SourceEncryptionAlgorithm", r.source_encryption_algorithm);
  PutOpt(j, "DestinationEncryptionAlgorithm", r.destination_encryption_algorithm);
  PutTokens(j, r.grant_tokens);
  return Dump(j);
}

std::string SerializeRequest(const GenerateDataKeyRequest& r) {
  Json j = {{"KeyId", r.key_id}};
  PutContext(j, "EncryptionContext", r.encryption_context);
  PutOpt(j, "NumberOfBytes", r.number_of_bytes);
  PutOpt(j, "KeySpec", r.key_spec);
  PutTokens(j, r.grant_tokens);
  return Dump(j);
}

std::string SerializeRequest(const GenerateRandomRequest& r) {
  Json j = Json::object();
  PutOpt(j, "NumberOfBytes", r.number_of_bytes);
  return Dump(j);
}

std::string SerializeRequest(const DescribeKeyRequest& r) {
  Json j = {{"KeyId", r.key_id}};
  PutTokens(j, r.grant_tokens);
  return Dump(j);
}

std::string SerializeRequest(const CreateKeyRequest& r) {
  Json j = Json::object();
  PutOpt(j, "Description", r.description);
  PutOpt(j, "KeyUsage", r.key_usage);
  PutOpt(j, "KeySpec", r.key_spec);
  PutOpt(j, "CustomerMasterKeySpec", r.customer_master_key_spec);
  PutOpt(j, "Origin", r.origin);
  PutOpt(j, "Policy", r.policy);
  if (r.bypass_policy_lockout_safety_check) j["BypassPolicyLockoutSafetyCheck"] = true;
  if (r.multi_region) j["MultiRegion"] = true;
  if (!r.tags.empty()) {
    Json tags = Json::array();
    for (const Tag& t : r.tags) tags.push_back({{"TagKey", t.key}, {"TagValue", t.value}});
    j["Tags"] = std::move(tags);
  }
  return Dump(j);
}

std::string SerializeRequest(const ListKeysRequest& r) {
  Json j = Json::object();
  PutOpt(j, "Limit", r.limit);
  PutOpt(j, "Marker", r.marker);
  return Dump(j);
}

std::string SerializeRequest(const ListAliasesRequest& r) {
  Json j = Json::object();
  PutOpt(j, "KeyId", r.key_id);
  PutOpt(j, "Limit", r.limit);
  PutOpt(j, "Marker", r.marker);
  return Dump(j);
}

std::string SerializeRequest(const CreateAliasRequest& r) {
  return Dump({{"AliasName", r.alias_name}, {"TargetKeyId", r.target_key_id}});
}

std::string SerializeRequest(const KeyIdRequest& r) { return Dump({{"KeyId", r.key_id}}); }

std::string SerializeRequest(const ScheduleKeyDeletionRequest& r) {
  Json j = {{"KeyId", r.key_id}};
  PutOpt(j, "PendingWindowInDays", r.pending_window_in_days);
  return Dump(j);
}

Result<EncryptResponse> ParseEncryptResponse(std::string_view body) {
  ENVELOPE_ASSIGN_OR_RETURN(Json j, ParseObject(body, "Encrypt"));
  Reader r(j, "Encrypt");
  EncryptResponse out{r.Blob("CiphertextBlob"), r.Str("KeyId"), r.Str("EncryptionAlgorithm")};
  ENVELOPE_RETURN_IF_ERROR(r.status());
  return out;
}

Result<DecryptResponse> ParseDecryptResponse(std::string_view body) {
  ENVELOPE_ASSIGN_OR_RETURN(Json j, ParseObject(body, "Decrypt"));
  Reader r(j, "Decrypt");
  DecryptResponse out;
  out.key_id = r.Str("KeyId");
  out.plaintext = r.Secret("Plaintext");
  out.encryption_algorithm = r.Str("EncryptionAlgorithm");
  ENVELOPE_RETURN_IF_ERROR(r.status());
  return out;
}

Result<ReEncryptResponse> ParseReEncryptResponse(std::string_view body) {
  ENVELOPE_ASSIGN_OR_RETURN(Json j, ParseObject(body, "ReEncrypt"));
  Reader r(j, "ReEncrypt");
  ReEncryptResponse out{r.Blob("CiphertextBlob"), r.Str("SourceKeyId"), r.Str("KeyId"),
                        r.Str("SourceEncryptionAlgorithm"),
                        r.Str("DestinationEncryptionAlgorithm")};
  ENVELOPE_RETURN_IF_ERROR(r.status());
  return out;
}

Result<GenerateDataKeyResponse> ParseGenerateDataKeyResponse(std::string_view body) {
  ENVELOPE_ASSIGN_OR_RETURN(Json j, ParseObject(body, "GenerateDataKey"));
  Reader r(j, "GenerateDataKey");
  GenerateDataKeyResponse out;
  out.ciphertext_blob = r.Blob("CiphertextBlob");
  out.plaintext = r.Secret("Plaintext");
  out.key_id = r.Str("KeyId");
  ENVELOPE_RETURN_IF_ERROR(r.status());
  return out;
}

Result<GenerateRandomResponse> ParseGenerateRandomResponse(std::string_view body) {
  ENVELOPE_ASSIGN_OR_RETURN(Json j, ParseObject(body, "GenerateRandom"));
  Reader r(j, "GenerateRandom");
  GenerateRandomResponse out{r.Secret("Plaintext")};
  ENVELOPE_RETURN_IF_ERROR(r.status());
  return out;
}

Result<DescribeKeyResponse> ParseDescribeKeyResponse(std::string_view body) {
  ENVELOPE_ASSIGN_OR_RETURN(KeyMetadata m, ParseMetadataResponse(body, "DescribeKey"));
  return DescribeKeyResponse{std::move(m)};
}

Result<CreateKeyResponse> ParseCreateKeyResponse(std::string_view body) {
  ENVELOPE_ASSIGN_OR_RETURN(KeyMetadata m, ParseMetadataResponse(body, "CreateKey"));
  return CreateKeyResponse{std::move(m)};
}

Result<ListKeysResponse> ParseListKeysResponse(std::string_view body) {
  ENVELOPE_ASSIGN_OR_RETURN(Json j, ParseObject(body, "ListKeys"));
  Reader r(j, "ListKeys");
  ListKeysResponse out;
  if (const Json* keys = r.Array("Keys")) {
    for (const Json& k : *keys) {
      if (!k.is_object()) return Internal("kms: malformed ListKeys response: Keys entry");
      Reader e(k, "ListKeys");
      out.keys.push_back({e.Str("KeyId"), e.Str("KeyArn")});
      ENVELOPE_RETURN_IF_ERROR(e.status());
    }
  }
  out.truncated = r.Bool("Truncated");
  out.next_marker = r.OptStr("NextMarker");
  ENVELOPE_RETURN_IF_ERROR(r.status());
  return out;
}

Result<ListAliasesResponse> ParseListAliasesResponse(std::string_view body) {
  ENVELOPE_ASSIGN_OR_RETURN(Json j, ParseObject(body, "ListAliases"));
  Reader r(j, "ListAliases");
  ListAliasesResponse out;
  if (const Json* aliases = r.Array("Aliases")) {
    for (const Json& a : *aliases) {
      if (!a.is_object()) return Internal("kms: malformed ListAliases response: Aliases entry");
      Reader e(a, "ListAliases");
      out.aliases.push_back({e.Str("AliasName"), e.Str("AliasArn"), e.OptStr("TargetKeyId"),
                             e.OptNum("CreationDate"), e.OptNum("LastUpdatedDate")});
      ENVELOPE_RETURN_IF_ERROR(e.status());
    }
  }
  out.truncated = r.Bool("Truncated");
  out.next_marker = r.OptStr("NextMarker");
  ENVELOPE_RETURN_IF_ERROR(r.status());
  return out;
}

Result<ScheduleKeyDeletionResponse> ParseScheduleKeyDeletionResponse(std::string_view body) {
  ENVELOPE_ASSIGN_OR_RETURN(Json j, ParseObject(body, "ScheduleKeyDeletion"));
  Reader r(j, "ScheduleKeyDeletion");
  ScheduleKeyDeletionResponse out;
  out.key_id = r.Str("KeyId");
  out.deletion_date = r.OptNum("DeletionDate").value_or(0);
  out.key_state = r.Str("KeyState");
  out.pending_window_in_days = static_cast<int>(r.OptNum("PendingWindowInDays").value_or(0));
  ENVELOPE_RETURN_IF_ERROR(r.status());
  return out;
}

Status ParseErrorResponse(int http_status, std::string_view body) {
  std::string type;
  std::string message;
  Json j = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_discarded() && j.is_object()) {
    Reader r(j, "error");
    type = std::string(NormalizeErrorType(r.Str("__type")));
    message = r.OptStr("message").value_or(r.Str("Message"));
  }
  const Code code = CodeForErrorType(type, http_status);
  if (message.empty()) {
    message = "HTTP " + std::to_string(http_status) + (type.empty() ? "" : " " + type);
  }
  return Status(code, std::move(message), std::move(type));
}

}  // namespace envelope::kms::protocol
