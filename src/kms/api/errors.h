#pragma once
// KMS error types: Status values carrying the exact KMS wire `__type` in error_type() and the Code
// that retry policies, the HTTP front and the CLI switch on.
//
// The Code mapping is a contract with the client's retry logic:
//   ThrottlingException, LimitExceededException             -> kResourceExhausted (throttle)
//   KMSInternalException, KeyUnavailableException,
//   DependencyTimeoutException                              -> kUnavailable (retryable)
//   InvalidCiphertextException, KMSInvalidSignature/Mac     -> kCorrupt
//   NotFoundException                                       -> kNotFound
//   AccessDeniedException                                   -> kPermissionDenied
//   DisabledException, KMSInvalidStateException             -> kFailedPrecondition
//   Unrecognized/InvalidSignature/MissingAuthToken/...       -> kUnauthenticated
//   Unsupported/UnknownOperationException                    -> kUnimplemented
//   every other client error (Validation, IncorrectKey, ...) -> kInvalidArgument
#include <string>
#include <string_view>

#include "envelope/status.h"

namespace envelope::kms {

// A Status of the Code registered for `error_type` (kInvalidArgument for an unknown client error
// type). `error_type` may be namespaced ("com.amazonaws.kms#NotFoundException"); it is
// normalised to the bare name.
Status KmsError(std::string_view error_type, std::string message);

// The Code for a wire error type, or, when the type is unknown, for its HTTP status
// (5xx -> kUnavailable, 429 -> kResourceExhausted, 401/403 -> kUnauthenticated, else kInternal).
Code CodeForErrorType(std::string_view error_type, int http_status);

// The HTTP status the server sends for a Status: 500 for KMSInternalException and
// KeyUnavailableException, 503 for DependencyTimeoutException, 400 for every other KMS error, and
// 500 for a Status without an error type (treated as an internal error).
int HttpStatusFor(const Status& status);

// "com.amazonaws.kms#NotFoundException" and "NotFoundException:http://..." -> "NotFoundException".
std::string_view NormalizeErrorType(std::string_view error_type);

// True for errors a client should retry (kUnavailable or kResourceExhausted codes).
bool IsRetryableKmsError(const Status& status);
bool IsThrottlingError(const Status& status);

// Named helpers for the errors the server and client produce.
Status ValidationError(std::string message);
Status SerializationError(std::string message);
Status UnknownOperationError(std::string message);
Status NotFoundError(std::string message);
Status DisabledError(std::string message);
Status InvalidStateError(std::string message);  // KMSInvalidStateException
Status InvalidCiphertextError(std::string message);
Status IncorrectKeyError(std::string message);
Status InvalidKeyUsageError(std::string message);
Status InvalidSignatureError(std::string message);  // KMSInvalidSignatureException (Verify)
Status InvalidMacError(std::string message);        // KMSInvalidMacException (VerifyMac)
Status AlreadyExistsError(std::string message);
Status InvalidAliasNameError(std::string message);
Status AccessDeniedError(std::string message);
Status InvalidArnError(std::string message);
Status InvalidGrantTokenError(std::string message);
Status InvalidGrantIdError(std::string message);
Status InvalidMarkerError(std::string message);
Status MalformedPolicyDocumentError(std::string message);
Status LimitExceededError(std::string message);
Status UnsupportedOperationError(std::string message);
Status TagError(std::string message);
Status DryRunOperationError(std::string message);
Status ThrottlingError(std::string message);
Status KmsInternalError(std::string message);
Status KeyUnavailableError(std::string message);
Status DependencyTimeoutError(std::string message);

}  // namespace envelope::kms
