#include "tests/testing/fixed_keyring.h"

namespace envelope::testing {

Status FixedKeyring::OnEncrypt(EncryptionMaterials& materials) const {
  if (materials.data_key.empty()) materials.data_key = data_key_.Clone();
  materials.encrypted_data_keys.push_back({"fixed", {name_.begin(), name_.end()}, {}});
  return OkStatus();
}

Status FixedKeyring::OnDecrypt(DecryptionMaterials& materials,
                               std::span<const EncryptedDataKey>) const {
  if (materials.data_key.empty()) materials.data_key = data_key_.Clone();
  return OkStatus();
}

Status SeededRandom::Fill(std::span<std::uint8_t> out) {
  for (auto& b : out) b = static_cast<std::uint8_t>(engine_());
  return OkStatus();
}

double SeededRandom::UniformDouble() {
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine_);
}

std::vector<std::uint8_t> PatternBytes(std::size_t n, std::uint64_t seed) {
  std::vector<std::uint8_t> out(n);
  std::uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  for (std::size_t i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    out[i] = static_cast<std::uint8_t>(x);
  }
  return out;
}

}  // namespace envelope::testing
