#include "kms/server/ciphertext_blob.h"

#include <gtest/gtest.h>

#include "kms/api/errors.h"

namespace envelope::kms::server {
namespace {

const Bytes kKey(32, 7);
const Bytes kIv(12, 9);
const BlobHeader kHeader{"111122223333", "us-east-1", "1234abcd-12ab-34cd-56ef-1234567890ab", 3};

Bytes Seal(const EncryptionContext& ec) {
  auto blob = SealBlob(kHeader, kKey, kIv, ec, ToBytes("secret"));
  EXPECT_TRUE(blob.ok()) << blob.status().ToString();
  return *blob;
}

TEST(CiphertextBlob, RoundTripsWithTheSameContext) {
  Bytes blob = Seal({{"purpose", "test"}});
  auto pt = OpenBlob(blob, kKey, {{"purpose", "test"}});
  ASSERT_TRUE(pt.ok());
  EXPECT_TRUE(pt->Equals(ToBytes("secret")));
}

TEST(CiphertextBlob, HeaderNamesKeyAndMaterialVersion) {
  auto h = ParseBlobHeader(Seal({}));
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->account, kHeader.account);
  EXPECT_EQ(h->region, kHeader.region);
  EXPECT_EQ(h->key_id, kHeader.key_id);
  EXPECT_EQ(h->material_version, 3u);
}

TEST(CiphertextBlob, ShiftedContextBoundaryDoesNotDecrypt) {
  Bytes blob = Seal({{"ab", "c"}});
  auto pt = OpenBlob(blob, kKey, {{"a", "bc"}});
  ASSERT_FALSE(pt.ok());
  EXPECT_EQ(pt.status().error_type(), "InvalidCiphertextException");
}

TEST(CiphertextBlob, ContextEncodingIsUnambiguous) {
  EXPECT_NE(EncodeEncryptionContext({{"ab", "c"}}), EncodeEncryptionContext({{"a", "bc"}}));
  EXPECT_NE(EncodeEncryptionContext({}), EncodeEncryptionContext({{"", ""}}));
}

TEST(CiphertextBlob, TamperedByteIsInvalidCiphertext) {
  Bytes blob = Seal({});
  for (std::size_t i = 0; i < blob.size(); ++i) {
    Bytes bad = blob;
    bad[i] ^= 0x01;
    auto pt = OpenBlob(bad, kKey, {});
    EXPECT_FALSE(pt.ok()) << "byte " << i;
  }
}

TEST(CiphertextBlob, ForeignBytesAreInvalidCiphertext) {
  Bytes junk(80, 0x41);
  auto h = ParseBlobHeader(junk);
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.status().error_type(), "InvalidCiphertextException");
}

TEST(CiphertextBlob, TruncatedBlobIsInvalidCiphertext) {
  Bytes blob = Seal({});
  for (std::size_t n = 0; n < blob.size(); ++n) {
    auto pt = OpenBlob(ByteView(blob).first(n), kKey, {});
    EXPECT_FALSE(pt.ok()) << "length " << n;
  }
}

}  // namespace
}  // namespace envelope::kms::server
