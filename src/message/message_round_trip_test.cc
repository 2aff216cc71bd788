// Round trips over every suite, frame length, plaintext length and encryption context, and
// the parallel engine's output against a sequential run.
#include <gtest/gtest.h>

#include <tuple>

#include "envelope/envelope.h"
#include "envelope/keyrings.h"
#include "format/suites.h"
#include "message/stream_io.h"
#include "tests/testing/fixed_keyring.h"

namespace envelope {
namespace {

using testing::FixedKeyring;
using testing::PatternBytes;

CmmPtr CmmFor(AlgorithmSuite suite) {
  const std::size_t key_bytes = format::Info(suite).key_bytes;
  return MakeDefaultCmm(std::make_shared<FixedKeyring>(SecretBytes(PatternBytes(key_bytes, 7))));
}

CommitmentPolicy PolicyFor(AlgorithmSuite suite) {
  return format::Info(suite).committing() ? CommitmentPolicy::kRequireEncryptRequireDecrypt
                                          : CommitmentPolicy::kForbidEncryptAllowDecrypt;
}

const std::vector<EncryptionContext>& Contexts() {
  static const auto* contexts = new std::vector<EncryptionContext>{
      {},
      {{"purpose", "test"}, {"tenant", "42"}, {"a", ""}},
      {{"région", "Île-de-France"}, {"日本", "東京"}, {"emoji", "🔐"}},
  };
  return *contexts;
}

std::vector<std::size_t> LengthsFor(std::uint32_t frame) {
  std::vector<std::size_t> lengths = {0, 1, frame - 1, frame, frame + 1, 3 * 1024 * 1024 + 5};
  if (frame == 1) lengths = {0, 1, 2, 1000, 256 * 1024 + 3};  // 1-byte frames: keep it quick
  return lengths;
}

class RoundTripTest
    : public ::testing::TestWithParam<std::tuple<AlgorithmSuite, std::uint32_t>> {};

TEST_P(RoundTripTest, DecryptReturnsThePlaintextForEveryLengthAndContext) {
  const auto [suite, frame] = GetParam();
  CmmPtr cmm = CmmFor(suite);
  for (const EncryptionContext& context : Contexts()) {
    for (std::size_t length : LengthsFor(frame)) {
      SCOPED_TRACE("length " + std::to_string(length) + ", context pairs " +
                   std::to_string(context.size()));
      const auto plaintext = PatternBytes(length, length + 1);
      EncryptOptions eo;
      eo.suite = suite;
      eo.commitment_policy = PolicyFor(suite);
      eo.frame_length = frame;
      eo.encryption_context = context;
      MessageInfo encrypted;
      auto ciphertext = EncryptBuffer(*cmm, eo, plaintext, &encrypted);
      ASSERT_TRUE(ciphertext.ok()) << ciphertext.status().ToString();
      EXPECT_EQ(encrypted.ciphertext_bytes, ciphertext->size());
      DecryptOptions doptions;
      doptions.commitment_policy = eo.commitment_policy;
      MessageInfo decrypted;
      auto result = DecryptBuffer(*cmm, doptions, *ciphertext, &decrypted);
      ASSERT_TRUE(result.ok()) << result.status().ToString();
      EXPECT_EQ(*result, plaintext);
      EXPECT_EQ(decrypted.suite, suite);
      EXPECT_EQ(decrypted.frame_length, frame);
      EXPECT_EQ(decrypted.message_id, encrypted.message_id);
      EXPECT_EQ(decrypted.ciphertext_bytes, ciphertext->size());
      for (const auto& [key, value] : context) {
        EXPECT_EQ(decrypted.encryption_context.at(key), value);
      }
    }
  }
}

std::vector<AlgorithmSuite> AllSuiteIds() {
  std::vector<AlgorithmSuite> ids;
  for (const auto& info : format::AllSuites()) ids.push_back(info.id);
  return ids;
}

INSTANTIATE_TEST_SUITE_P(
    AllSuitesAndFrames, RoundTripTest,
    ::testing::Combine(::testing::ValuesIn(AllSuiteIds()),
                       ::testing::Values(1u, 512u, 4096u, 1024u * 1024u)),
    [](const auto& info) {
      char name[64];
      std::snprintf(name, sizeof name, "Suite%04x_Frame%u",
                    static_cast<unsigned>(std::get<0>(info.param)), std::get<1>(info.param));
      return std::string(name);
    });

TEST(ParallelEngineTest, OutputIsByteIdenticalToASequentialRun) {
  for (AlgorithmSuite suite : {AlgorithmSuite::kAes256GcmHkdfSha512CommitKey,
                               AlgorithmSuite::kAes128GcmIv12Tag16HkdfSha256}) {
    CmmPtr cmm = CmmFor(suite);
    const auto plaintext = PatternBytes(9 * 1024 * 1024 + 77);
    std::vector<std::vector<std::uint8_t>> outputs;
    for (unsigned threads : {1u, 2u, 5u}) {
      testing::SeededRandom random(99);
      EncryptOptions eo;
      eo.suite = suite;
      eo.commitment_policy = PolicyFor(suite);
      eo.threads = threads;
      eo.random = &random;
      auto ct = EncryptBuffer(*cmm, eo, plaintext);
      ASSERT_TRUE(ct.ok()) << ct.status().ToString();
      outputs.push_back(*std::move(ct));
    }
    EXPECT_EQ(outputs[0], outputs[1]);
    EXPECT_EQ(outputs[0], outputs[2]);
    for (unsigned threads : {1u, 3u}) {
      DecryptOptions d;
      d.commitment_policy = PolicyFor(suite);
      d.threads = threads;
      auto pt = DecryptBuffer(*cmm, d, outputs[0]);
      ASSERT_TRUE(pt.ok()) << pt.status().ToString();
      EXPECT_EQ(*pt, plaintext);
    }
  }
}

TEST(StreamingTest, SmallReadsAndWritesGiveTheSameMessage) {
  // An input stream that returns at most 7 bytes per call exercises every refill path.
  class TrickleInput final : public InputStream {
   public:
    explicit TrickleInput(ByteView data) : data_(data) {}
    Result<std::size_t> Read(std::span<std::uint8_t> buffer) override {
      const std::size_t n = std::min<std::size_t>({buffer.size(), 7, data_.size() - pos_});
      std::copy_n(data_.begin() + pos_, n, buffer.begin());
      pos_ += n;
      return n;
    }
   private:
    ByteView data_;
    std::size_t pos_ = 0;
  };
  CmmPtr cmm = CmmFor(AlgorithmSuite::kAes256GcmHkdfSha512CommitKeyEcdsaP384);
  const auto plaintext = PatternBytes(100 * 1000);
  EncryptOptions eo;
  eo.frame_length = 1000;
  TrickleInput in(plaintext);
  Bytes ciphertext;
  message::VectorOutputStream out(ciphertext);
  ASSERT_TRUE(Encrypt(*cmm, eo, in, out).ok());
  TrickleInput cin(ciphertext);
  Bytes decrypted;
  message::VectorOutputStream dout(decrypted);
  auto info = Decrypt(*cmm, DecryptOptions{}, cin, dout);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(decrypted, plaintext);
}

TEST(EncryptTest, RejectsASuiteTheCommitmentPolicyForbids) {
  CmmPtr cmm = CmmFor(AlgorithmSuite::kAes256GcmIv12Tag16HkdfSha256);
  EncryptOptions eo;
  eo.suite = AlgorithmSuite::kAes256GcmIv12Tag16HkdfSha256;  // non-committing under REQUIRE
  auto ct = EncryptBuffer(*cmm, eo, PatternBytes(10));
  ASSERT_FALSE(ct.ok());
}

TEST(EncryptTest, RejectsFrameLengthZero) {
  CmmPtr cmm = CmmFor(AlgorithmSuite::kAes256GcmHkdfSha512CommitKey);
  EncryptOptions eo;
  eo.frame_length = 0;
  EXPECT_EQ(EncryptBuffer(*cmm, eo, PatternBytes(10)).status().code(), Code::kInvalidArgument);
}

TEST(DecryptTest, RequireDecryptPolicyRefusesNonCommittingMessages) {
  const auto suite = AlgorithmSuite::kAes256GcmIv12Tag16HkdfSha256;
  CmmPtr cmm = CmmFor(suite);
  EncryptOptions eo;
  eo.suite = suite;
  eo.commitment_policy = CommitmentPolicy::kForbidEncryptAllowDecrypt;
  auto ct = EncryptBuffer(*cmm, eo, PatternBytes(10));
  ASSERT_TRUE(ct.ok());
  DecryptOptions d;  // default: require-encrypt-require-decrypt
  EXPECT_EQ(DecryptBuffer(*cmm, d, *ct).status().code(), Code::kFailedPrecondition);
  d.commitment_policy = CommitmentPolicy::kRequireEncryptAllowDecrypt;
  EXPECT_TRUE(DecryptBuffer(*cmm, d, *ct).ok());
}

TEST(DecryptTest, UnsignedOnlyRefusesSignedMessagesBeforeReleasingAnything) {
  CmmPtr cmm = CmmFor(AlgorithmSuite::kAes256GcmHkdfSha512CommitKeyEcdsaP384);
  auto ct = EncryptBuffer(*cmm, EncryptOptions{}, PatternBytes(50000));
  ASSERT_TRUE(ct.ok());
  DecryptOptions d;
  d.unsigned_only = true;
  message::MemoryInputStream in(*ct);
  Bytes out;
  message::VectorOutputStream sink(out);
  EXPECT_FALSE(Decrypt(*cmm, d, in, sink).ok());
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace envelope
