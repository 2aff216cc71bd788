#pragma once
// Internal to http_server.cc: the server side of TLS. Includes Boost.Asio's SSL support.
#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "envelope/result.h"

namespace envelope::kms::server::internal {

// A TLS 1.2+ server context with the PEM certificate chain in `cert_file` and the PEM private
// key in `key_file`. Errors (kInvalidArgument), one line each: a file that cannot be read or
// parsed ("tls: cannot load certificate FILE: REASON"), a key that does not match the
// certificate.
Result<std::unique_ptr<boost::asio::ssl::context>> MakeServerTlsContext(
    const std::string& cert_file, const std::string& key_file);

}  // namespace envelope::kms::server::internal
