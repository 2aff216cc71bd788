#pragma once
// Status: the outcome of an operation. A closed set of codes that retry policies, the KMS wire
// mapping and the CLI's exit codes switch on, plus a human message and, for errors that travel
// over the KMS protocol, the wire error type (e.g. "DisabledException").
//
// An OK status holds no allocation, so returning success costs nothing.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace envelope {

enum class Code : std::uint8_t {
  kOk = 0,
  kInvalidArgument,     // bad caller input: key id, option, request field
  kCorrupt,             // ciphertext or header failed to parse or authenticate
  kNotFound,            // no keyring or key recognised the input; missing resource
  kAlreadyExists,       // resource already exists
  kFailedPrecondition,  // resource in the wrong state (disabled key, pending deletion)
  kPermissionDenied,    // credentials, policy or grants refuse the caller
  kUnauthenticated,     // missing or invalid credentials / signature
  kResourceExhausted,   // throttled or over a limit
  kUnavailable,         // transient: network, 5xx; retryable
  kDeadlineExceeded,    // timeout or retry budget spent
  kUnimplemented,       // operation or feature not supported
  kInternal,            // bug or unclassified failure
};

std::string_view CodeName(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(Code code, std::string message, std::string error_type = {});
  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;
  ~Status() = default;

  bool ok() const { return rep_ == nullptr; }
  Code code() const { return rep_ ? rep_->code : Code::kOk; }
  const std::string& message() const;
  // The protocol-level error name, or empty when none was set.
  const std::string& error_type() const;

  // "<context>: <message>", same code and error type.
  Status Annotate(std::string_view context) const;
  // "CodeName: message" for logs and tests.
  std::string ToString() const;

 private:
  struct Rep {
    Code code;
    std::string message;
    std::string error_type;
  };
  std::unique_ptr<Rep> rep_;
};

inline Status OkStatus() { return Status(); }
inline Status InvalidArgument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
inline Status Corrupt(std::string m) { return {Code::kCorrupt, std::move(m)}; }
inline Status NotFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
inline Status FailedPrecondition(std::string m) {
  return {Code::kFailedPrecondition, std::move(m)};
}
inline Status PermissionDenied(std::string m) { return {Code::kPermissionDenied, std::move(m)}; }
inline Status Unavailable(std::string m) { return {Code::kUnavailable, std::move(m)}; }
inline Status Unimplemented(std::string m) { return {Code::kUnimplemented, std::move(m)}; }
inline Status Internal(std::string m) { return {Code::kInternal, std::move(m)}; }

}  // namespace envelope

// Returns from the enclosing function when `expr` (a Status) is not OK.
#define ENVELOPE_RETURN_IF_ERROR(expr)                  \
  do {                                                  \
    ::envelope::Status envelope_status_ = (expr);       \
    if (!envelope_status_.ok()) return envelope_status_; \
  } while (0)
