// Generated negatives: every truncation and every single-bit flip of a message of each suite
// must fail to decrypt, and must release nothing when holding all output until verification.
#include <gtest/gtest.h>

#include "envelope/envelope.h"
#include "envelope/keyrings.h"
#include "format/suites.h"
#include "message/stream_io.h"
#include "tests/testing/fixed_keyring.h"

namespace envelope {
namespace {

using testing::PatternBytes;

class NegativeTest : public ::testing::TestWithParam<AlgorithmSuite> {
 protected:
  void SetUp() override {
    const auto& info = format::Info(GetParam());
    // A raw AES keyring, so a flipped EDK byte is detected by the keyring itself.
    auto keyring = MakeRawAesKeyring("test-ns", "test-key", SecretBytes(PatternBytes(32, 3)));
    ASSERT_TRUE(keyring.ok()) << keyring.status().ToString();
    cmm_ = MakeDefaultCmm(*keyring);
    policy_ = info.committing() ? CommitmentPolicy::kRequireEncryptRequireDecrypt
                                : CommitmentPolicy::kForbidEncryptAllowDecrypt;
    EncryptOptions eo;
    eo.suite = GetParam();
    eo.commitment_policy = policy_;
    eo.frame_length = 32;
    eo.encryption_context = {{"purpose", "negative"}};
    auto ct = EncryptBuffer(*cmm_, eo, PatternBytes(80));
    ASSERT_TRUE(ct.ok()) << ct.status().ToString();
    message_ = *std::move(ct);
  }

  // Decrypts holding all output; returns whether it succeeded and checks nothing was released
  // on failure.
  bool Decrypts(ByteView ciphertext) {
    DecryptOptions d;
    d.commitment_policy = policy_;
    d.release_after_verify = true;
    message::MemoryInputStream in(ciphertext);
    Bytes out;
    message::VectorOutputStream sink(out);
    const bool ok = Decrypt(*cmm_, d, in, sink).ok();
    if (!ok) EXPECT_TRUE(out.empty()) << "plaintext released by a failed decrypt";
    return ok;
  }

  CmmPtr cmm_;
  CommitmentPolicy policy_{};
  Bytes message_;
};

TEST_P(NegativeTest, TheIntactMessageDecrypts) { EXPECT_TRUE(Decrypts(message_)); }

TEST_P(NegativeTest, EveryTruncationFails) {
  for (std::size_t n = 0; n < message_.size(); ++n) {
    EXPECT_FALSE(Decrypts(ByteView(message_).first(n))) << "prefix of " << n << " bytes";
  }
}

TEST_P(NegativeTest, TrailingBytesFail) {
  Bytes longer = message_;
  longer.push_back(0);
  EXPECT_FALSE(Decrypts(longer));
}

TEST_P(NegativeTest, EveryBitFlipFails) {
  Bytes mutated = message_;
  for (std::size_t i = 0; i < mutated.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      mutated[i] ^= static_cast<std::uint8_t>(1u << bit);
      EXPECT_FALSE(Decrypts(mutated)) << "byte " << i << " bit " << bit;
      mutated[i] ^= static_cast<std::uint8_t>(1u << bit);
    }
  }
}

std::vector<AlgorithmSuite> AllSuiteIds() {
  std::vector<AlgorithmSuite> ids;
  for (const auto& info : format::AllSuites()) ids.push_back(info.id);
  return ids;
}

INSTANTIATE_TEST_SUITE_P(AllSuites, NegativeTest, ::testing::ValuesIn(AllSuiteIds()),
                         [](const auto& info) {
                           char name[16];
                           std::snprintf(name, sizeof name, "Suite%04x",
                                         static_cast<unsigned>(info.param));
                           return std::string(name);
                         });

}  // namespace
}  // namespace envelope
