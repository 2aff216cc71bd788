#include "kms/api/errors.h"

#include <array>

namespace envelope::kms {
namespace {

struct ErrorInfo {
  std::string_view type;
  Code code;
  int http_status;
};

// Every KMS error the project produces or expects to receive. Wire status 400 for client errors
// (KMS's observed behaviour; botocore's legacy retry relies on 400 for ThrottlingException).
constexpr std::array kErrors = {
    ErrorInfo{"ValidationException", Code::kInvalidArgument, 400},
    ErrorInfo{"SerializationException", Code::kInvalidArgument, 400},
    ErrorInfo{"UnknownOperationException", Code::kUnimplemented, 400},
    ErrorInfo{"NotFoundException", Code::kNotFound, 400},
    ErrorInfo{"DisabledException", Code::kFailedPrecondition, 400},
    ErrorInfo{"KMSInvalidStateException", Code::kFailedPrecondition, 400},
    ErrorInfo{"InvalidCiphertextException", Code::kCorrupt, 400},
    ErrorInfo{"IncorrectKeyException", Code::kInvalidArgument, 400},
    ErrorInfo{"InvalidKeyUsageException", Code::kInvalidArgument, 400},
    ErrorInfo{"KMSInvalidSignatureException", Code::kCorrupt, 400},
    ErrorInfo{"KMSInvalidMacException", Code::kCorrupt, 400},
    ErrorInfo{"AlreadyExistsException", Code::kAlreadyExists, 400},
    ErrorInfo{"InvalidAliasNameException", Code::kInvalidArgument, 400},
    ErrorInfo{"AccessDeniedException", Code::kPermissionDenied, 400},
    ErrorInfo{"InvalidArnException", Code::kInvalidArgument, 400},
    ErrorInfo{"InvalidGrantTokenException", Code::kInvalidArgument, 400},
    ErrorInfo{"InvalidGrantIdException", Code::kInvalidArgument, 400},
    ErrorInfo{"InvalidMarkerException", Code::kInvalidArgument, 400},
    ErrorInfo{"MalformedPolicyDocumentException", Code::kInvalidArgument, 400},
    ErrorInfo{"LimitExceededException", Code::kResourceExhausted, 400},
    ErrorInfo{"UnsupportedOperationException", Code::kUnimplemented, 400},
    ErrorInfo{"TagException", Code::kInvalidArgument, 400},
    ErrorInfo{"DryRunOperationException", Code::kFailedPrecondition, 400},
    ErrorInfo{"ConflictException", Code::kFailedPrecondition, 400},
    ErrorInfo{"ExpiredImportTokenException", Code::kInvalidArgument, 400},
    ErrorInfo{"InvalidImportTokenException", Code::kInvalidArgument, 400},
    ErrorInfo{"IncorrectKeyMaterialException", Code::kInvalidArgument, 400},
    ErrorInfo{"ThrottlingException", Code::kResourceExhausted, 400},
    ErrorInfo{"KMSInternalException", Code::kUnavailable, 500},
    ErrorInfo{"KeyUnavailableException", Code::kUnavailable, 500},
    ErrorInfo{"DependencyTimeoutException", Code::kUnavailable, 503},
    ErrorInfo{"UnrecognizedClientException", Code::kUnauthenticated, 400},
    ErrorInfo{"InvalidSignatureException", Code::kUnauthenticated, 400},
    ErrorInfo{"IncompleteSignatureException", Code::kUnauthenticated, 400},
    ErrorInfo{"MissingAuthenticationTokenException", Code::kUnauthenticated, 400},
    ErrorInfo{"InvalidClientTokenId", Code::kUnauthenticated, 403},
    ErrorInfo{"ExpiredTokenException", Code::kUnauthenticated, 400},
    ErrorInfo{"RequestExpired", Code::kUnauthenticated, 400},
    ErrorInfo{"InternalFailure", Code::kUnavailable, 500},
    ErrorInfo{"ServiceUnavailable", Code::kUnavailable, 503},
    ErrorInfo{"TooManyRequestsException", Code::kResourceExhausted, 400},
    ErrorInfo{"RequestLimitExceeded", Code::kResourceExhausted, 400},
};

const ErrorInfo* Find(std::string_view type) {
  for (const ErrorInfo& e : kErrors) {
    if (e.type == type) return &e;
  }
  return nullptr;
}

}  // namespace

std::string_view NormalizeErrorType(std::string_view type) {
  if (auto hash = type.rfind('#'); hash != std::string_view::npos) type.remove_prefix(hash + 1);
  if (auto colon = type.find(':'); colon != std::string_view::npos) type = type.substr(0, colon);
  return type;
}

Code CodeForErrorType(std::string_view error_type, int http_status) {
  if (const ErrorInfo* e = Find(NormalizeErrorType(error_type))) return e->code;
  if (http_status >= 500) return Code::kUnavailable;
  if (http_status == 429) return Code::kResourceExhausted;
  if (http_status == 401 || http_status == 403) return Code::kUnauthenticated;
  if (http_status >= 400 && !error_type.empty()) return Code::kInvalidArgument;
  return Code::kInternal;
}

Status KmsError(std::string_view error_type, std::string message) {
  std::string_view bare = NormalizeErrorType(error_type);
  const ErrorInfo* e = Find(bare);
  return Status(e ? e->code : Code::kInvalidArgument, std::move(message), std::string(bare));
}

int HttpStatusFor(const Status& status) {
  if (status.ok()) return 200;
  if (status.error_type().empty()) return 500;
  const ErrorInfo* e = Find(status.error_type());
  return e ? e->http_status : 400;
}

bool IsRetryableKmsError(const Status& status) {
  return status.code() == Code::kUnavailable || status.code() == Code::kResourceExhausted;
}

bool IsThrottlingError(const Status& status) {
  std::string_view t = status.error_type();
  return t == "ThrottlingException" || t == "TooManyRequestsException" ||
         t == "RequestLimitExceeded";
}

#define ENVELOPE_KMS_ERROR_FN(fn, type) \
  Status fn(std::string message) { return KmsError(type, std::move(message)); }

ENVELOPE_KMS_ERROR_FN(ValidationError, "ValidationException")
ENVELOPE_KMS_ERROR_FN(SerializationError, "SerializationException")
ENVELOPE_KMS_ERROR_FN(UnknownOperationError, "UnknownOperationException")
ENVELOPE_KMS_ERROR_FN(NotFoundError, "NotFoundException")
ENVELOPE_KMS_ERROR_FN(DisabledError, "DisabledException")
ENVELOPE_KMS_ERROR_FN(InvalidStateError, "KMSInvalidStateException")
ENVELOPE_KMS_ERROR_FN(InvalidCiphertextError, "InvalidCiphertextException")
ENVELOPE_KMS_ERROR_FN(IncorrectKeyError, "IncorrectKeyException")
ENVELOPE_KMS_ERROR_FN(InvalidKeyUsageError, "InvalidKeyUsageException")
ENVELOPE_KMS_ERROR_FN(InvalidSignatureError, "KMSInvalidSignatureException")
ENVELOPE_KMS_ERROR_FN(InvalidMacError, "KMSInvalidMacException")
ENVELOPE_KMS_ERROR_FN(AlreadyExistsError, "AlreadyExistsException")
ENVELOPE_KMS_ERROR_FN(InvalidAliasNameError, "InvalidAliasNameException")
ENVELOPE_KMS_ERROR_FN(AccessDeniedError, "AccessDeniedException")
ENVELOPE_KMS_ERROR_FN(InvalidArnError, "InvalidArnException")
ENVELOPE_KMS_ERROR_FN(InvalidGrantTokenError, "InvalidGrantTokenException")
ENVELOPE_KMS_ERROR_FN(InvalidGrantIdError, "InvalidGrantIdException")
ENVELOPE_KMS_ERROR_FN(InvalidMarkerError, "InvalidMarkerException")
ENVELOPE_KMS_ERROR_FN(MalformedPolicyDocumentError, "MalformedPolicyDocumentException")
ENVELOPE_KMS_ERROR_FN(LimitExceededError, "LimitExceededException")
ENVELOPE_KMS_ERROR_FN(UnsupportedOperationError, "UnsupportedOperationException")
ENVELOPE_KMS_ERROR_FN(TagError, "TagException")
ENVELOPE_KMS_ERROR_FN(DryRunOperationError, "DryRunOperationException")
ENVELOPE_KMS_ERROR_FN(ThrottlingError, "ThrottlingException")
ENVELOPE_KMS_ERROR_FN(KmsInternalError, "KMSInternalException")
ENVELOPE_KMS_ERROR_FN(KeyUnavailableError, "KeyUnavailableException")
ENVELOPE_KMS_ERROR_FN(DependencyTimeoutError, "DependencyTimeoutException")

#undef ENVELOPE_KMS_ERROR_FN

}  // namespace envelope::kms
