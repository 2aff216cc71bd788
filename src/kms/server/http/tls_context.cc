#include "kms/server/http/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace envelope::kms::server::internal {
namespace {

namespace ssl = boost::asio::ssl;

// OpenSSL's reason for the last failure ("no such file", "bad end line"), lower case.
std::string Reason(const boost::system::error_code& ec) {
  const unsigned long code = ERR_peek_last_error();
  const char* reason = code != 0 ? ERR_reason_error_string(code) : nullptr;
  ERR_clear_error();
  return reason != nullptr ? reason : ec.message();
}

}  // namespace

Result<std::unique_ptr<ssl::context>> MakeServerTlsContext(const std::string& cert_file,
                                                          const std::string& key_file) {
  if (cert_file.empty() || key_file.empty()) {
    return InvalidArgument("tls: a certificate and a private key go together");
  }
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = ctx->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::single_dh_use);
  boost::system::error_code ec;
  ctx->use_certificate_chain_file(cert_file, ec);
  if (ec) return InvalidArgument("tls: cannot load certificate " + cert_file + ": " + Reason(ec));
  ctx->use_private_key_file(key_file, ssl::context::pem, ec);
  if (ec) return InvalidArgument("tls: cannot load private key " + key_file + ": " + Reason(ec));
  if (SSL_CTX_check_private_key(native) != 1) {
    ERR_clear_error();
    return InvalidArgument("tls: private key " + key_file + " does not match certificate " +
                           cert_file);
  }
  return ctx;
}

}  // namespace envelope::kms::server::internal
