#pragma once
// Random: injected randomness. SecureRandom draws from OpenSSL's CSPRNG and is used for keys, IVs
// and message ids; tests of retry jitter use a seeded fake. Implementations are thread-safe.
#include <cstdint>
#include <span>

#include "envelope/result.h"
#include "envelope/secret_bytes.h"

namespace envelope {

class Random {
 public:
  virtual ~Random() = default;
  // Fills `out`. Fails only if the generator cannot be seeded (kInternal).
  virtual Status Fill(std::span<std::uint8_t> out) = 0;
  // Uniform in [0, 1).
  virtual double UniformDouble() = 0;
};

class SecureRandom final : public Random {
 public:
  Status Fill(std::span<std::uint8_t> out) override;
  double UniformDouble() override;
};

Random& SystemRandom();
Result<SecretBytes> RandomSecret(Random& random, std::size_t size);

}  // namespace envelope
