#pragma once
// Test fakes for materials: a keyring with one fixed data key, and a seeded deterministic Random.
#include <cstdint>
#include <random>
#include <string>

#include "core/random.h"
#include "envelope/materials.h"

namespace envelope::testing {

// Provides `data_key` on encrypt (as the generator) with one EDK {provider_id "fixed", info =
// name, ciphertext empty}, and on decrypt sets `data_key` whatever the EDKs say — so known-answer
// vectors can inject the plaintext data key.
class FixedKeyring final : public Keyring {
 public:
  explicit FixedKeyring(SecretBytes data_key, std::string name = "fixed-key")
      : data_key_(std::move(data_key)), name_(std::move(name)) {}
  Status OnEncrypt(EncryptionMaterials& materials) const override;
  Status OnDecrypt(DecryptionMaterials& materials,
                   std::span<const EncryptedDataKey> edks) const override;

 private:
  SecretBytes data_key_;
  std::string name_;
};

// A deterministic Random for reproducible outputs. Not thread-safe.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(std::uint64_t seed) : engine_(seed) {}
  Status Fill(std::span<std::uint8_t> out) override;
  double UniformDouble() override;

 private:
  std::mt19937_64 engine_;
};

// Bytes 0, 1, 2, ... of length n (mod 256), and a pseudo-random pattern for large inputs.
std::vector<std::uint8_t> PatternBytes(std::size_t n, std::uint64_t seed = 1);

}  // namespace envelope::testing
