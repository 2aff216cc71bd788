// Verification: the Authorization parser's strictness and each way a signature is refused.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "kms/protocol/sigv4.h"

namespace envelope::kms::protocol {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

constexpr std::string_view kGood =
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/kms/aws4_request, "
    "SignedHeaders=host;x-amz-date, "
    "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";

std::chrono::system_clock::time_point SuiteTime() {
  return *ParseAmzDate("20150830T123600Z");
}

SecretBytes Secret() { return SecretBytes(AsBytes("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")); }

// A KMS request signed by our signer at `signed_at`.
struct SignedKmsRequest {
  std::string body = R"({"KeyId":"alias/a"})";
  std::string hash = PayloadHash(body);
  std::vector<HttpHeader> headers;
  std::string authorization;

  explicit SignedKmsRequest(std::string_view amz_date, std::string_view service = "kms") {
    headers = {{"Host", "localhost:4599"},
               {"Content-Type", "application/x-amz-json-1.1"},
               {"X-Amz-Target", "TrentService.Encrypt"},
               {"X-Amz-Date", std::string(amz_date)}};
    SigV4Credentials creds{"AKIDEXAMPLE", Secret(), ""};
    authorization = AuthorizationHeader(request(), creds, amz_date, "eu-west-1", service);
  }
  SigV4Request request() const { return {"POST", "/", "", headers, hash}; }
  ParsedAuthorization parsed() const { return *ParseAuthorization(authorization); }
};

void ExpectAuthError(const Status& s, std::string_view type) {
  EXPECT_EQ(s.code(), Code::kUnauthenticated) << s.ToString();
  EXPECT_EQ(s.error_type(), type) << s.ToString();
}

TEST(ParseAuthorization, ExtractsKeyScopeSignedHeadersAndSignature) {
  Result<ParsedAuthorization> auth = ParseAuthorization(kGood);
  ASSERT_TRUE(auth.ok()) << auth.status().ToString();
  EXPECT_EQ(auth->access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(auth->scope.date, "20150830");
  EXPECT_EQ(auth->scope.region, "us-east-1");
  EXPECT_EQ(auth->scope.service, "kms");
  EXPECT_EQ(auth->signed_headers, (std::vector<std::string>{"host", "x-amz-date"}));
  EXPECT_EQ(auth->signature.size(), 64u);
}

TEST(ParseAuthorization, AcceptsComponentsWithoutSpacesAfterCommas) {
  EXPECT_TRUE(ParseAuthorization(
                  "AWS4-HMAC-SHA256 Credential=A/20150830/r/kms/aws4_request,SignedHeaders=host,"
                  "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
                  .ok());
}

TEST(ParseAuthorization, RejectsMalformedHeadersAsIncompleteSignature) {
  const std::string sig = "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
  const std::vector<std::string> bad = {
      "",
      "AWS4-HMAC-SHA1 Credential=A/20150830/r/kms/aws4_request, SignedHeaders=host, " + sig,
      "AWS4-HMAC-SHA256",
      "AWS4-HMAC-SHA256 SignedHeaders=host, " + sig,
      "AWS4-HMAC-SHA256 Credential=A/20150830/r/kms/aws4_request, " + sig,
      "AWS4-HMAC-SHA256 Credential=A/20150830/r/kms/aws4_request, SignedHeaders=host",
      "AWS4-HMAC-SHA256 Credential=A/2015083/r/kms/aws4_request, SignedHeaders=host, " + sig,
      "AWS4-HMAC-SHA256 Credential=A/20150830/r/kms/aws5_request, SignedHeaders=host, " + sig,
      "AWS4-HMAC-SHA256 Credential=A/20150830/r/kms, SignedHeaders=host, " + sig,
      "AWS4-HMAC-SHA256 Credential=A/20150830/r/kms/aws4_request/x, SignedHeaders=host, " + sig,
      "AWS4-HMAC-SHA256 Credential=/20150830/r/kms/aws4_request, SignedHeaders=host, " + sig,
      "AWS4-HMAC-SHA256 Credential=A/20150830/r/kms/aws4_request, SignedHeaders=Host, " + sig,
      "AWS4-HMAC-SHA256 Credential=A/20150830/r/kms/aws4_request, SignedHeaders=host;;a, " + sig,
      "AWS4-HMAC-SHA256 Credential=A/20150830/r/kms/aws4_request, SignedHeaders=host, "
      "Signature=5FA00FA31553B73EBF1942676E86291E8372FF2A2260956D9B8AAE1D763FBF31",
      "AWS4-HMAC-SHA256 Credential=A/20150830/r/kms/aws4_request, SignedHeaders=host, "
      "Signature=abc",
      "AWS4-HMAC-SHA256 Credential=A/20150830/r/kms/aws4_request, SignedHeaders=host, " + sig +
          ", " + sig,
      "AWS4-HMAC-SHA256 Credential=A/20150830/r/kms/aws4_request, SignedHeaders=host, Foo=1, " +
          sig,
      "AWS4-HMAC-SHA256 Credential=A/20150830/r/kms/aws4_request, SignedHeaders=host, " + sig +
          ",",
  };
  for (const std::string& header : bad) {
    Result<ParsedAuthorization> auth = ParseAuthorization(header);
    ASSERT_FALSE(auth.ok()) << header;
    ExpectAuthError(auth.status(), "IncompleteSignatureException");
    EXPECT_FALSE(auth.status().message().empty());
  }
}

TEST(VerifySignature, AcceptsOurOwnSignatureAtTheSigningTime) {
  SignedKmsRequest r("20150830T123600Z");
  EXPECT_TRUE(VerifySignature(r.request(), r.parsed(), Secret(), "kms", SuiteTime()).ok());
}

TEST(VerifySignature, AcceptsAClockSkewOfExactlyFiveMinutes) {
  SignedKmsRequest r("20150830T123600Z");
  EXPECT_TRUE(VerifySignature(r.request(), r.parsed(), Secret(), "kms", SuiteTime() + minutes(5)).ok());
  EXPECT_TRUE(VerifySignature(r.request(), r.parsed(), Secret(), "kms", SuiteTime() - minutes(5)).ok());
}

TEST(VerifySignature, RejectsASignatureOlderThanFiveMinutes) {
  SignedKmsRequest r("20150830T123600Z");
  Status s = VerifySignature(r.request(), r.parsed(), Secret(), "kms",
                             SuiteTime() + minutes(5) + seconds(1));
  ExpectAuthError(s, "InvalidSignatureException");
  EXPECT_NE(s.message().find("Signature expired"), std::string::npos);
}

TEST(VerifySignature, RejectsASignatureFromMoreThanFiveMinutesInTheFuture) {
  SignedKmsRequest r("20150830T123600Z");
  ExpectAuthError(VerifySignature(r.request(), r.parsed(), Secret(), "kms",
                                  SuiteTime() - minutes(6)),
                  "InvalidSignatureException");
}

TEST(VerifySignature, RejectsTheWrongSecret) {
  SignedKmsRequest r("20150830T123600Z");
  ExpectAuthError(VerifySignature(r.request(), r.parsed(), SecretBytes(AsBytes("other")), "kms",
                                  SuiteTime()),
                  "InvalidSignatureException");
}

TEST(VerifySignature, RejectsATamperedBody) {
  SignedKmsRequest r("20150830T123600Z");
  ParsedAuthorization auth = r.parsed();
  r.hash = PayloadHash(R"({"KeyId":"alias/b"})");
  ExpectAuthError(VerifySignature(r.request(), auth, Secret(), "kms", SuiteTime()),
                  "InvalidSignatureException");
}

TEST(VerifySignature, RejectsATamperedSignedHeader) {
  SignedKmsRequest r("20150830T123600Z");
  ParsedAuthorization auth = r.parsed();
  r.headers[2].value = "TrentService.Decrypt";
  ExpectAuthError(VerifySignature(r.request(), auth, Secret(), "kms", SuiteTime()),
                  "InvalidSignatureException");
}

TEST(VerifySignature, IgnoresUnsignedHeaders) {
  SignedKmsRequest r("20150830T123600Z");
  ParsedAuthorization auth = r.parsed();
  r.headers.push_back({"User-Agent", "added-by-a-proxy"});
  EXPECT_TRUE(VerifySignature(r.request(), auth, Secret(), "kms", SuiteTime()).ok());
}

TEST(VerifySignature, RejectsAScopeForAnotherService) {
  SignedKmsRequest r("20150830T123600Z", "s3");
  ExpectAuthError(VerifySignature(r.request(), r.parsed(), Secret(), "kms", SuiteTime()),
                  "InvalidSignatureException");
}

TEST(VerifySignature, RejectsAScopeDateOtherThanTheRequestDate) {
  SignedKmsRequest r("20150830T123600Z");
  ParsedAuthorization auth = r.parsed();
  auth.scope.date = "20150829";
  ExpectAuthError(VerifySignature(r.request(), auth, Secret(), "kms", SuiteTime()),
                  "InvalidSignatureException");
}

TEST(VerifySignature, RequiresAnXAmzDateHeader) {
  SignedKmsRequest r("20150830T123600Z");
  ParsedAuthorization auth = r.parsed();
  r.headers.pop_back();
  ExpectAuthError(VerifySignature(r.request(), auth, Secret(), "kms", SuiteTime()),
                  "IncompleteSignatureException");
}

TEST(VerifySignature, RequiresHostToBeSigned) {
  SignedKmsRequest r("20150830T123600Z");
  ParsedAuthorization auth = r.parsed();
  auth.signed_headers = {"x-amz-date"};
  ExpectAuthError(VerifySignature(r.request(), auth, Secret(), "kms", SuiteTime()),
                  "IncompleteSignatureException");
}

}  // namespace
}  // namespace envelope::kms::protocol
