#include "message/key_derivation.h"

#include "crypto/hash.h"

namespace envelope::message {

namespace {
constexpr std::string_view kDeriveKeyLabel = "DERIVEKEY";
constexpr std::string_view kCommitKeyLabel = "COMMITKEY";

Bytes SuiteIdBytes(const format::SuiteInfo& suite) {
  return {static_cast<std::uint8_t>(suite.wire_id() >> 8),
          static_cast<std::uint8_t>(suite.wire_id())};
}
}  // namespace

Result<DerivedKeys> DeriveKeys(const format::SuiteInfo& suite, const SecretBytes& data_key,
                               ByteView message_id) {
  if (data_key.size() != suite.key_bytes) {
    return InvalidArgument("data key length " + std::to_string(data_key.size()) +
                           " does not match the suite's " + std::to_string(suite.key_bytes));
  }
  if (message_id.size() != suite.message_id_bytes()) {
    return InvalidArgument("message id has the wrong length for the suite");
  }
  DerivedKeys keys;
  Bytes info = SuiteIdBytes(suite);
  switch (suite.kdf) {
    case format::Kdf::kIdentity:
      keys.encryption_key = data_key.Clone();
      break;
    case format::Kdf::kHkdfSha256:
    case format::Kdf::kHkdfSha384: {
      const auto hash = suite.kdf == format::Kdf::kHkdfSha256 ? crypto::HashAlg::kSha256
                                                              : crypto::HashAlg::kSha384;
      info.insert(info.end(), message_id.begin(), message_id.end());
      keys.encryption_key = crypto::Hkdf(hash, {}, data_key.span(), info, suite.key_bytes);
      break;
    }
    case format::Kdf::kHkdfSha512Committing: {
      const SecretBytes prk =
          crypto::HkdfExtract(crypto::HashAlg::kSha512, message_id, data_key.span());
      info.insert(info.end(), kDeriveKeyLabel.begin(), kDeriveKeyLabel.end());
      crypto::HkdfExpander expand(crypto::HashAlg::kSha512, prk.span());
      keys.encryption_key = expand.Expand(info, suite.key_bytes);
      SecretBytes commit = expand.Expand(AsBytes(kCommitKeyLabel), format::kCommitKeyBytes);
      keys.commit_key.assign(commit.span().begin(), commit.span().end());
      break;
    }
  }
  return keys;
}

}  // namespace envelope::message
