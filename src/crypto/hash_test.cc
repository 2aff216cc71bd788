#include "crypto/hash.h"

#include <gtest/gtest.h>

#include <string>

#include "core/encoding.h"

namespace envelope::crypto {
namespace {

Bytes Hex(std::string_view hex) { return HexDecode(hex).value(); }
std::string ToHex(ByteView b) { return HexEncode(b); }

// FIPS 180-2 appendix examples: the one-block message "abc".
TEST(HashTest, Sha256OfAbcMatchesFips180) {
  EXPECT_EQ(ToHex(Sha256(AsBytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(HashTest, Sha384OfAbcMatchesFips180) {
  EXPECT_EQ(ToHex(Digest(HashAlg::kSha384, AsBytes("abc"))),
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded163"
            "1a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7");
}

TEST(HashTest, Sha512OfAbcMatchesFips180) {
  EXPECT_EQ(ToHex(Digest(HashAlg::kSha512, AsBytes("abc"))),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
}

TEST(HashTest, HasherInPiecesEqualsOneShotDigest) {
  Hasher hasher(HashAlg::kSha384);
  hasher.Update(AsBytes("a"));
  hasher.Update({});
  hasher.Update(AsBytes("bc"));
  EXPECT_EQ(hasher.Finish(), Digest(HashAlg::kSha384, AsBytes("abc")));
}

TEST(HashTest, DigestSizesMatchTheAlgorithms) {
  EXPECT_EQ(Digest(HashAlg::kSha1, {}).size(), DigestSize(HashAlg::kSha1));
  EXPECT_EQ(DigestSize(HashAlg::kSha1), 20u);
  EXPECT_EQ(DigestSize(HashAlg::kSha512), 64u);
}

// RFC 4231 test case 2.
TEST(HmacTest, Sha256MatchesRfc4231Case2) {
  EXPECT_EQ(ToHex(Hmac(HashAlg::kSha256, AsBytes("Jefe"), AsBytes("what do ya want for nothing?"))),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

// RFC 5869 appendix A.1.
TEST(HkdfTest, Sha256MatchesRfc5869Case1) {
  const Bytes ikm(22, 0x0b);
  const Bytes salt = Hex("000102030405060708090a0b0c");
  const Bytes info = Hex("f0f1f2f3f4f5f6f7f8f9");
  const SecretBytes prk = HkdfExtract(HashAlg::kSha256, salt, ikm);
  EXPECT_EQ(ToHex(prk.span()), "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
  const SecretBytes okm = HkdfExpand(HashAlg::kSha256, prk.span(), info, 42);
  EXPECT_EQ(ToHex(okm.span()),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
            "34007208d5b887185865");
}

// RFC 5869 appendix A.3: empty salt and info.
TEST(HkdfTest, Sha256MatchesRfc5869Case3WithEmptySaltAndInfo) {
  const Bytes ikm(22, 0x0b);
  const SecretBytes prk = HkdfExtract(HashAlg::kSha256, {}, ikm);
  EXPECT_EQ(ToHex(prk.span()), "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04");
  const SecretBytes okm = Hkdf(HashAlg::kSha256, {}, ikm, {}, 42);
  EXPECT_EQ(ToHex(okm.span()),
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
            "9d201395faa4b61a96c8");
}

TEST(HkdfTest, EmptySaltEqualsHashLenZeroSalt) {
  const Bytes ikm = Hex("0102030405");
  const Bytes zeros(DigestSize(HashAlg::kSha512), 0);
  EXPECT_TRUE(HkdfExtract(HashAlg::kSha512, {}, ikm)
                  .Equals(HkdfExtract(HashAlg::kSha512, zeros, ikm).span()));
}

TEST(ConstantTimeEqualsTest, ComparesContentsAndLengths) {
  EXPECT_TRUE(ConstantTimeEquals(AsBytes("abc"), AsBytes("abc")));
  EXPECT_TRUE(ConstantTimeEquals({}, {}));
  EXPECT_FALSE(ConstantTimeEquals(AsBytes("abc"), AsBytes("abd")));
  EXPECT_FALSE(ConstantTimeEquals(AsBytes("abc"), AsBytes("ab")));
}

}  // namespace
}  // namespace envelope::crypto
