// libFuzzer target: decrypt arbitrary bytes with a raw AES keyring and a data-key-injecting
// keyring (so fuzzed messages get past the keyring to the body). Must never crash or leak.
#include <cstddef>
#include <cstdint>

#include "envelope/envelope.h"
#include "envelope/keyrings.h"

namespace {
class AnyKeyring final : public envelope::Keyring {
 public:
  envelope::Status OnEncrypt(envelope::EncryptionMaterials&) const override {
    return envelope::OkStatus();
  }
  envelope::Status OnDecrypt(envelope::DecryptionMaterials& m,
                             std::span<const envelope::EncryptedDataKey>) const override {
    // A fixed key of the suite's length: lets fuzzed headers reach key derivation and frames.
    static const std::uint8_t kKey[32] = {};
    const std::size_t n = (static_cast<std::uint16_t>(m.suite) & 0xff) == 0x14   ? 16
                          : (static_cast<std::uint16_t>(m.suite) & 0xff) == 0x46 ? 24
                                                                                 : 32;
    m.data_key = envelope::SecretBytes(std::span<const std::uint8_t>(kKey, n));
    return envelope::OkStatus();
  }
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static envelope::CmmPtr cmm = envelope::MakeDefaultCmm(std::make_shared<AnyKeyring>());
  envelope::DecryptOptions options;
  options.commitment_policy = envelope::CommitmentPolicy::kRequireEncryptAllowDecrypt;
  options.threads = 1;
  options.max_encrypted_data_keys = 16;
  auto result = envelope::DecryptBuffer(*cmm, options, std::span<const std::uint8_t>(data, size));
  (void)result;
  return 0;
}
