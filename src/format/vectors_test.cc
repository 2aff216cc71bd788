// Parses real ciphertexts written by other ESDK implementations (../shared/vectors/esdk).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include "format/body.h"
#include "format/header.h"

namespace envelope::format {
namespace {

namespace fs = std::filesystem;

fs::path VectorsDir() {
  const char* source = std::getenv("ENVELOPE_SOURCE_DIR");
  if (source == nullptr) {
    return {};
  }
  return fs::path(source) / ".." / "shared" / "vectors" / "esdk";
}

Bytes ReadFile(const fs::path& path) {
  std::ifstream f(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

#define SKIP_IF_ABSENT(path)                                                              \
  if ((path).empty() || !fs::exists(path)) {                                              \
    GTEST_SKIP() << "SKIPPED: test vectors not found at '" << (path).string()             \
                 << "' (set ENVELOPE_SOURCE_DIR to the repository root)";                 \
  }

// Parses header, frames and footer, and checks that nothing is left over. Returns the header.
Result<Header> ParseWholeMessage(ByteView bytes, std::uint32_t* frames) {
  ByteReader in(bytes);
  ENVELOPE_ASSIGN_OR_RETURN(Header header, ParseHeader(in, {}));
  if (header.content_type == ContentType::kNonFramed) {
    ENVELOPE_ASSIGN_OR_RETURN(NonFramedPrefix prefix, ParseNonFramedPrefix(in));
    ENVELOPE_RETURN_IF_ERROR(in.ReadBytes(prefix.length + kTagBytes).status());
    *frames = 1;
  } else {
    for (std::uint32_t expected = 1;; ++expected) {
      ENVELOPE_ASSIGN_OR_RETURN(FrameView frame, ParseFrame(in, header.frame_length));
      if (frame.sequence != expected) {
        return Corrupt("frame out of sequence");
      }
      *frames = expected;
      if (frame.final) {
        break;
      }
    }
  }
  if (header.suite->signs()) {
    ENVELOPE_RETURN_IF_ERROR(ParseFooter(in).status());
  }
  if (!in.empty()) {
    return Corrupt("trailing bytes");
  }
  return header;
}

const char kV1File[] =
    "esdk-net-4.0.1-raw/ciphertexts/0378-ec_len_2-cmm_Default-627ff035-493c-42fc-9e00-81c8c5f14599";
const char kV2File[] =
    "esdk-net-4.0.1-raw/ciphertexts/0578-ec_len_2-cmm_Default-49d41154-0d7a-4175-9718-1da555f639bd";

void ExpectVectorHeader(const Header& h, std::uint16_t suite) {
  EXPECT_EQ(h.suite->wire_id(), suite);
  EXPECT_EQ(h.content_type, ContentType::kFramed);
  EXPECT_EQ(h.frame_length, 512u);
  ASSERT_EQ(h.encryption_context.size(), 3u);
  EXPECT_EQ(h.encryption_context.at("key1"), "val1");
  EXPECT_EQ(h.encryption_context.at("key2"), "val2");
  EXPECT_EQ(h.encryption_context.count("aws-crypto-public-key"), 1u);
  ASSERT_EQ(h.encrypted_data_keys.size(), 2u);
  EXPECT_EQ(h.encrypted_data_keys[0].provider_id, "aws-raw-vectors-persistant");
  EXPECT_EQ(h.tag.size(), 16u);
}

TEST(Vectors, V1HeaderFromEsdkNetParses) {
  const fs::path path = VectorsDir().empty() ? fs::path() : VectorsDir() / kV1File;
  SKIP_IF_ABSENT(path);
  const Bytes bytes = ReadFile(path);
  std::uint32_t frames = 0;
  auto h = ParseWholeMessage(bytes, &frames);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  ExpectVectorHeader(*h, 0x0378);
  EXPECT_EQ(h->version, 1);
  EXPECT_EQ(h->message_id.size(), 16u);
  EXPECT_EQ(h->iv, Bytes(12, 0));
  EXPECT_EQ(frames, 20u);  // 10,240 bytes in 512-byte frames, full final frame
  EXPECT_EQ(h->body, Bytes(bytes.begin(), bytes.begin() + h->body.size()));
}

TEST(Vectors, V2HeaderFromEsdkNetParses) {
  const fs::path path = VectorsDir().empty() ? fs::path() : VectorsDir() / kV2File;
  SKIP_IF_ABSENT(path);
  const Bytes bytes = ReadFile(path);
  std::uint32_t frames = 0;
  auto h = ParseWholeMessage(bytes, &frames);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  ExpectVectorHeader(*h, 0x0578);
  EXPECT_EQ(h->version, 2);
  EXPECT_EQ(h->message_id.size(), 32u);
  EXPECT_EQ(h->commit_key.size(), 32u);
  EXPECT_TRUE(h->iv.empty());
  EXPECT_EQ(frames, 20u);
}

TEST(Vectors, ReserializedVectorHeaderMatchesTheOriginalBytes) {
  const fs::path path = VectorsDir().empty() ? fs::path() : VectorsDir() / kV2File;
  SKIP_IF_ABSENT(path);
  const Bytes bytes = ReadFile(path);
  ByteReader in(bytes);
  auto h = ParseHeader(in, {});
  ASSERT_TRUE(h.ok());
  Header copy = *h;
  ASSERT_TRUE(SerializeHeaderBody(copy).ok());
  EXPECT_EQ(copy.body, h->body);  // this vector's context is sorted, so the bytes agree
}

TEST(Vectors, EveryManifestCiphertextParsesToTheEnd) {
  const fs::path dir = VectorsDir();
  SKIP_IF_ABSENT(dir);
  int count = 0;
  for (const char* set : {"esdk-dafny-4.1.0-raw", "esdk-net-4.0.1-raw", "esdk-net-4.0.0-valid",
                          "esdk-net-4.0.0-invalid-negative"}) {
    for (const auto& entry : fs::directory_iterator(dir / set / "ciphertexts")) {
      const Bytes bytes = ReadFile(entry.path());
      std::uint32_t frames = 0;
      auto h = ParseWholeMessage(bytes, &frames);
      EXPECT_TRUE(h.ok()) << entry.path() << ": " << h.status().ToString();
      ++count;
    }
  }
  EXPECT_EQ(count, 187 + 99 + 5 + 28);
}

}  // namespace
}  // namespace envelope::format
