#include "kms/api/errors.h"

#include <gtest/gtest.h>

namespace envelope::kms {
namespace {

TEST(KmsErrors, NotFoundCarriesCodeAndType) {
  Status s = NotFoundError("Key 'x' does not exist");
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_EQ(s.error_type(), "NotFoundException");
  EXPECT_EQ(s.message(), "Key 'x' does not exist");
}

TEST(KmsErrors, ThrottlingIsResourceExhaustedAnd400) {
  Status s = ThrottlingError("slow down");
  EXPECT_EQ(s.code(), Code::kResourceExhausted);
  EXPECT_EQ(HttpStatusFor(s), 400);
  EXPECT_TRUE(IsThrottlingError(s));
  EXPECT_TRUE(IsRetryableKmsError(s));
}

TEST(KmsErrors, ServerFaultsAreUnavailableWithTheirStatus) {
  EXPECT_EQ(KmsInternalError("").code(), Code::kUnavailable);
  EXPECT_EQ(KeyUnavailableError("").code(), Code::kUnavailable);
  EXPECT_EQ(DependencyTimeoutError("").code(), Code::kUnavailable);
  EXPECT_EQ(HttpStatusFor(KmsInternalError("")), 500);
  EXPECT_EQ(HttpStatusFor(DependencyTimeoutError("")), 503);
}

TEST(KmsErrors, ClientErrorsAreNotRetryable) {
  EXPECT_FALSE(IsRetryableKmsError(DisabledError("d")));
  EXPECT_EQ(DisabledError("d").code(), Code::kFailedPrecondition);
  EXPECT_EQ(InvalidCiphertextError("").code(), Code::kCorrupt);
  EXPECT_EQ(AccessDeniedError("").code(), Code::kPermissionDenied);
  EXPECT_EQ(UnknownOperationError("").code(), Code::kUnimplemented);
}

TEST(KmsErrors, NamespacedTypeIsNormalised) {
  Status s = KmsError("com.amazonaws.kms#NotFoundException", "m");
  EXPECT_EQ(s.error_type(), "NotFoundException");
  EXPECT_EQ(NormalizeErrorType("ThrottlingException:http://internal"), "ThrottlingException");
}

TEST(CodeForErrorType, UnknownTypeFallsBackToHttpStatus) {
  EXPECT_EQ(CodeForErrorType("", 503), Code::kUnavailable);
  EXPECT_EQ(CodeForErrorType("", 429), Code::kResourceExhausted);
  EXPECT_EQ(CodeForErrorType("SomethingNewException", 400), Code::kInvalidArgument);
  EXPECT_EQ(CodeForErrorType("ThrottlingException", 400), Code::kResourceExhausted);
}

TEST(HttpStatusFor, UntypedErrorIsInternal500) {
  EXPECT_EQ(HttpStatusFor(Internal("bug")), 500);
}

}  // namespace
}  // namespace envelope::kms
