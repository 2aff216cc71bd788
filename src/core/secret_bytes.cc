#include "envelope/secret_bytes.h"

#include <openssl/crypto.h>

#include <ostream>

namespace envelope {

SecretBytes::SecretBytes(std::size_t size) : bytes_(size, 0) {}
SecretBytes::SecretBytes(std::span<const std::uint8_t> bytes) : bytes_(bytes.begin(), bytes.end()) {}
SecretBytes::SecretBytes(SecretBytes&& other) noexcept : bytes_(std::move(other.bytes_)) {
  other.bytes_.clear();
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    Wipe();
    bytes_ = std::move(other.bytes_);
    other.bytes_.clear();
  }
  return *this;
}

SecretBytes::~SecretBytes() { Wipe(); }

void SecretBytes::Wipe() {
  if (!bytes_.empty()) OPENSSL_cleanse(bytes_.data(), bytes_.size());
}

bool SecretBytes::Equals(std::span<const std::uint8_t> other) const {
  return other.size() == bytes_.size() &&
         CRYPTO_memcmp(other.data(), bytes_.data(), bytes_.size()) == 0;
}

std::ostream& operator<<(std::ostream& os, const SecretBytes&) { return os << "[redacted]"; }

}  // namespace envelope
