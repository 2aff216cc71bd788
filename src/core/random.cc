#include "core/random.h"

#include <openssl/rand.h>

#include "core/random_pool.h"

namespace envelope {

Status SecureRandom::Fill(std::span<std::uint8_t> out) {
  if (out.empty()) return OkStatus();
  if (out.size() <= internal::kRandomPoolMaxDraw) {
    if (!internal::DrawFromRandomPool(out)) return Internal("random: OpenSSL RAND_bytes failed");
    return OkStatus();
  }
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
    return Internal("random: OpenSSL RAND_bytes failed");
  }
  return OkStatus();
}

double SecureRandom::UniformDouble() {
  std::uint64_t v = 0;
  std::span<std::uint8_t> bytes(reinterpret_cast<std::uint8_t*>(&v), sizeof v);
  if (!Fill(bytes).ok()) return 0.5;
  return static_cast<double>(v >> 11) * 0x1.0p-53;
}

Random& SystemRandom() {
  static SecureRandom random;
  return random;
}

Result<SecretBytes> RandomSecret(Random& random, std::size_t size) {
  SecretBytes out(size);
  ENVELOPE_RETURN_IF_ERROR(random.Fill(out.mutable_span()));
  return out;
}

}  // namespace envelope
