#pragma once
// The server's single entry point below HTTP: runs one KMS operation given its JSON request body
// and returns the JSON response body. Knows nothing of HTTP, signatures or sockets.
//
// Errors carry the KMS wire error name in Status::error_type() ("NotFoundException",
// "ValidationException", "UnknownOperationException", ...) and a message in the KMS wording;
// the HTTP front maps them to the status code and the {"__type","message"} body.
// Thread-safe: the HTTP front calls it from several threads at once.
#include <string>
#include <string_view>

#include "envelope/result.h"
#include "kms/api/caller.h"

namespace envelope::kms::server {

class Dispatcher {
 public:
  virtual ~Dispatcher() = default;
  // `operation` is the name after "TrentService." in X-Amz-Target, e.g. "GenerateDataKey".
  virtual Result<std::string> Dispatch(const Caller& caller, std::string_view operation,
                                       std::string_view json_body) = 0;
};

}  // namespace envelope::kms::server
