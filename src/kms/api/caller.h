#pragma once
// Who is calling the KMS: established by authentication (SigV4) before any operation runs.
#include <string>

namespace envelope::kms {

struct Caller {
  std::string account_id;     // 12 digits, e.g. "111122223333"
  std::string region;         // from the SigV4 credential scope, e.g. "us-east-1"
  std::string access_key_id;  // empty for the embedded (in-process) store
  // arn:aws:iam::ACCOUNT:root or arn:aws:iam::ACCOUNT:user/NAME, as policies name principals.
  std::string principal_arn;
};

}  // namespace envelope::kms
