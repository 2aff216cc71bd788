// `envelope kms <operation>`. The request is built once as KMS JSON from the operation table
// (kms_operations.h). Remotely it is sent as is through KmsClient::Invoke and the response body is
// printed as KMS sent it; with --local it goes through the server's own request parsers and
// response encoders (kms/server/codec.h) around the embedded store's KmsApi, so both print the
// same shapes.
#include "cli/command_kms_ops.h"

#include <cstdio>

#include "cli/commands.h"
#include "cli/embedded_store.h"
#include "cli/exit_codes.h"
#include "cli/file_io.h"
#include "cli/kms_operations.h"
#include "cli/remote_kms.h"
#include "core/encoding.h"
#include "core/log.h"
#include "kms/server/codec.h"

#ifdef ENVELOPE_HAVE_KMS_CLIENT
#include "kms/client/kms_client.h"
#endif

namespace envelope::cli {
namespace {

using Json = nlohmann::json;

// KMS takes at most 4096 bytes of plaintext and 6144 of ciphertext blob; the service reports
// anything larger, so the files are only bounded loosely here.
constexpr std::size_t kMaxBlobFile = 64 * 1024;

// "key-id" -> "KeyId"; the file options name their blob member.
std::string MemberName(std::string_view option) {
  if (option == "plaintext-file") {
    return "Plaintext";
  }
  if (option == "ciphertext-file") {
    return "CiphertextBlob";
  }
  std::string out;
  bool upper = true;
  for (char c : option) {
    if (c == '-') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return out;
}

std::string FileBase64(const std::string& path, std::string_view prefix) {
  SecretBytes bytes = Unwrap(ReadSecretFile(path, kMaxBlobFile), prefix);
  return Base64Encode(bytes.span());
}

template <typename Request, typename Response>
Result<Json> Typed(const Json& body, Result<Request> (*parse)(const Json&),
                   Result<Response> (kms::KmsApi::*call)(const Request&), kms::KmsApi& api) {
  ENVELOPE_ASSIGN_OR_RETURN(Request request, parse(body));
  ENVELOPE_ASSIGN_OR_RETURN(Response response, (api.*call)(request));
  if constexpr (std::is_same_v<Response, kms::Empty>) {
    return Json::object();
  } else if constexpr (std::is_same_v<Response, kms::GenerateDataKeyResponse>) {
    return kms::server::ToJson(response, /*with_plaintext=*/true);
  } else {
    return kms::server::ToJson(response);
  }
}

// One typed operation on `api` (the embedded store), as JSON in and out.
Result<Json> CallTyped(kms::KmsApi& api, std::string_view op, const Json& body) {
  namespace s = kms::server;
  using A = kms::KmsApi;
  if (op == "CreateKey") return Typed(body, &s::ParseCreateKeyRequest, &A::CreateKey, api);
  if (op == "DescribeKey") return Typed(body, &s::ParseDescribeKeyRequest, &A::DescribeKey, api);
  if (op == "ListKeys") return Typed(body, &s::ParseListKeysRequest, &A::ListKeys, api);
  if (op == "ListAliases") return Typed(body, &s::ParseListAliasesRequest, &A::ListAliases, api);
  if (op == "CreateAlias") return Typed(body, &s::ParseCreateAliasRequest, &A::CreateAlias, api);
  if (op == "EnableKey") return Typed(body, &s::ParseKeyIdRequest, &A::EnableKey, api);
  if (op == "DisableKey") return Typed(body, &s::ParseKeyIdRequest, &A::DisableKey, api);
  if (op == "ScheduleKeyDeletion") {
    return Typed(body, &s::ParseScheduleKeyDeletionRequest, &A::ScheduleKeyDeletion, api);
  }
  if (op == "Encrypt") return Typed(body, &s::ParseEncryptRequest, &A::Encrypt, api);
  if (op == "Decrypt") return Typed(body, &s::ParseDecryptRequest, &A::Decrypt, api);
  if (op == "GenerateDataKey") {
    return Typed(body, &s::ParseGenerateDataKeyRequest, &A::GenerateDataKey, api);
  }
  return Status(Code::kInternal, "no typed call for " + std::string(op));
}

Result<Json> CallLocal(const KmsOperationArgs& args, std::string_view op, const Json& body,
                       std::string_view prefix) {
  const std::string dir = Unwrap(UserDataDir(), prefix);
  KmsClientSupplier supplier = Unwrap(OpenEmbeddedStore(dir), prefix);
  std::shared_ptr<kms::KmsApi> api = Unwrap(supplier(args.client.region.value_or("")), prefix);
  return CallTyped(*api, op, body);
}

Result<Json> CallRemote(const KmsOperationArgs& args, std::string_view op, const Json& body,
                        std::string_view prefix) {
#ifdef ENVELOPE_HAVE_KMS_CLIENT
  if (args.client.verbose && !LogEnabled(LogLevel::kDebug)) {
    SetLogLevel(LogLevel::kDebug);  // the client logs one line per attempt at debug level
  }
  kms::ClientOptions options = Unwrap(kms::config::ResolveClientOptions(
      ClientOverrides(args.client), kms::config::ProcessEnvironment()), prefix);
  std::unique_ptr<kms::KmsClient> client =
      Unwrap(kms::KmsClient::Create(std::move(options)), prefix);
  ENVELOPE_ASSIGN_OR_RETURN(std::string response, client->Invoke(op, body.dump()));
  if (response.empty()) {
    return Json::object();
  }
  Json parsed = Json::parse(response, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return Status(Code::kInternal, "the KMS response is not JSON");
  }
  return parsed;
#else
  (void)args, (void)op, (void)body;
  throw CliError(kExitFailed, std::string(prefix) + ": this build has no KMS client (kms/client);"
                                                    " use --local for the embedded key store");
#endif
}

}  // namespace

Json BuildKmsRequest(const KmsOperationArgs& args) {
  const std::string prefix = "envelope kms " + args.operation;
  const KmsOperationSpec* spec = FindKmsOperation(args.operation);
  if (spec == nullptr) {
    ThrowUsage("envelope kms", "unknown operation '" + args.operation + "'");
  }
  Json body = Json::object();
  for (const KmsOperationOption& o : spec->options) {
    auto it = args.options.find(o.name);
    if (it == args.options.end()) {
      continue;
    }
    if (o.max > 0) {
      body[MemberName(o.name)] = std::stol(it->second);  // range-checked by ParseArgs
    } else if (o.name.ends_with("-file")) {
      body[MemberName(o.name)] = FileBase64(it->second, prefix);
    } else {
      body[MemberName(o.name)] = it->second;
    }
  }
  if (!args.encryption_context.empty()) {
    Json context = Json::object();
    for (const auto& [key, value] : args.encryption_context) {
      context[key] = value;
    }
    body["EncryptionContext"] = std::move(context);
  }
  if (spec->api_name == "GenerateDataKey" && !body.contains("NumberOfBytes") &&
      !body.contains("KeySpec")) {
    body["KeySpec"] = "AES_256";
  }
  return body;
}

std::string KmsFailureLine(std::string_view prefix, const Status& status) {
  std::string line(prefix);
  line += ": ";
  if (!status.error_type().empty() && !IsIoError(status)) {
    line += status.error_type() + ": ";
  }
  line += status.message();
  return line;
}

int RunKmsOperation(const KmsOperationArgs& args) {
  const std::string prefix = "envelope kms " + args.operation;
  const KmsOperationSpec* spec = FindKmsOperation(args.operation);
  if (spec == nullptr) {
    ThrowUsage("envelope kms", "unknown operation '" + args.operation + "'");
  }
  const Json body = BuildKmsRequest(args);
  Result<Json> response = args.local ? CallLocal(args, spec->api_name, body, prefix)
                                     : CallRemote(args, spec->api_name, body, prefix);
  if (!response.ok()) {
    throw CliError(ExitCodeFor(response.status(), Phase::kOperation),
                   KmsFailureLine(prefix, response.status()));
  }
  if (!response->empty()) {
    const std::string text = response->dump(4) + "\n";
    std::fputs(text.c_str(), stdout);
  }
  return kExitOk;
}

}  // namespace envelope::cli
