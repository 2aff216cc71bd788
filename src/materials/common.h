#pragma once
// Helpers shared by the built-in keyrings and CMMs. Private to src/materials.
#include <string_view>

#include "crypto/asymmetric.h"
#include "envelope/keyrings.h"
#include "envelope/materials.h"
#include "format/suites.h"

namespace envelope::internal {

// Checks a raw keyring's namespace and key name: both non-empty, and the namespace must not use
// the "aws-kms" prefix reserved for the KMS keyrings. kInvalidArgument otherwise.
Status CheckRawKeyringNames(std::string_view kind, std::string_view key_namespace,
                            std::string_view key_name);

// The crypto layer's padding for a public RsaPadding.
crypto::RsaEncryptionPadding ToCryptoPadding(RsaPadding padding);

// The suite's table entry, or kInvalidArgument for a value that is not an ESDK suite (the enum
// can hold any 16-bit value).
Result<const format::SuiteInfo*> LookUpSuite(AlgorithmSuite suite);

// "0x0578 AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384", for error messages.
std::string DescribeSuite(const format::SuiteInfo& suite);

}  // namespace envelope::internal
