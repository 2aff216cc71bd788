#pragma once
// The built-in keyrings and CMMs. Spec: docs/format.md#keyrings.
#include <string>
#include <string_view>
#include <vector>

#include "envelope/materials.h"

namespace envelope {

enum class RsaPadding { kPkcs1, kOaepSha1, kOaepSha256, kOaepSha384, kOaepSha512 };
// "pkcs1" | "oaep-sha1" | "oaep-sha256" | "oaep-sha384" | "oaep-sha512".
Result<RsaPadding> ParseRsaPadding(std::string_view text);

// Raw AES keyring: wraps data keys with AES-GCM under a 16, 24 or 32-byte key, bound to the
// encryption context. kInvalidArgument for a bad key size or an empty namespace or name, or a
// namespace starting with "aws-kms".
Result<KeyringPtr> MakeRawAesKeyring(std::string key_namespace, std::string key_name,
                                     SecretBytes wrapping_key);

// Raw RSA keyring. Either PEM may be empty: without the public key (SPKI) it cannot encrypt, and
// without the private key (PKCS#8) it cannot decrypt. kInvalidArgument for unparsable keys.
Result<KeyringPtr> MakeRawRsaKeyring(std::string key_namespace, std::string key_name,
                                     RsaPadding padding, std::string public_key_pem,
                                     SecretBytes private_key_pem);

// Multi-keyring: the generator (may be null) makes the data key, every child wraps it too; on
// decrypt the generator and then the children are tried in order until one yields the key.
// kInvalidArgument when there is neither a generator nor a child.
Result<KeyringPtr> MakeMultiKeyring(KeyringPtr generator, std::vector<KeyringPtr> children);

// The default CMM: picks the suite, adds the signing key pair for signing suites, and asks the
// keyring for the data key; on decrypt checks the public-key rule and the reproduced context.
CmmPtr MakeDefaultCmm(KeyringPtr keyring);

// Requires that the listed context keys are present on encrypt (and keeps them out of the stored
// header) and reproduced on decrypt. kInvalidArgument for an empty key list.
Result<CmmPtr> MakeRequiredEncryptionContextCmm(CmmPtr underlying,
                                                std::vector<std::string> required_keys);

}  // namespace envelope
