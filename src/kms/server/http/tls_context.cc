#include "kms/server/http/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace envelope::kms::server::internal {
namespace {

namespace ssl = boost::asio::ssl;

// Why a PEM file could not be used: the system's reason when it cannot be read at all, else
// OpenSSL's ("no start line", "bad base64 decode").
std::string Reason(const std::string& file, const boost::system::error_code& ec) {
  ERR_clear_error();
  if (::access(file.c_str(), R_OK) != 0) return std::strerror(errno);
  const char* reason = ERR_reason_error_string(static_cast<unsigned long>(ec.value()));
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
  if (ec)
    return InvalidArgument("tls: cannot load certificate " + cert_file + ": " +
                           Reason(cert_file, ec));
  ctx->use_private_key_file(key_file, ssl::context::pem, ec);
  // OpenSSL checks the key against the certificate as it loads it; Asio reports OpenSSL's
  // error code in `ec`.
  const bool mismatch =
      ec && ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == X509_R_KEY_VALUES_MISMATCH;
  if (ec && !mismatch) {
    return InvalidArgument("tls: cannot load private key " + key_file + ": " +
                           Reason(key_file, ec));
  }
  if (mismatch || SSL_CTX_check_private_key(native) != 1) {
    ERR_clear_error();
    return InvalidArgument("tls: private key " + key_file + " does not match certificate " +
                           cert_file);
  }
  return ctx;
}

}  // namespace envelope::kms::server::internal
