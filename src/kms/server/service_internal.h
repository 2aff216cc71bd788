#pragma once
// Helpers shared by the KmsService .cc files (not part of the service's interface).
#include <string>
#include <vector>

#include "envelope/secret_bytes.h"
#include "kms/api/types.h"
#include "kms/server/json_fields.h"

namespace envelope::kms::server {

// Tag keys 1..128, values 0..256, no reserved "aws:" prefix (TagException).
Status ValidateTags(const std::vector<Tag>& tags);
// Length limits, the 32 KB quota, and a parsable document.
Status ValidatePolicyText(const std::string& policy);
// Reads a [{"TagKey":..,"TagValue":..}] list (SerializationException for wrong shapes).
Result<std::vector<Tag>> ReadTags(const RequestReader& r, std::string_view name);
// The alias name rules of CreateAlias/UpdateAlias: length, pattern, "alias/" prefix, and the
// reserved "alias/aws/" prefix.
Status ValidateAliasName(const std::string& name);

// RSA-OAEP with the key's current private key material (PKCS#8 DER). Encrypt: ValidationException
// when the plaintext is too long for the algorithm. Decrypt: InvalidCiphertextException.
Result<Bytes> RsaOaepEncrypt(const SecretBytes& pkcs8, std::string_view algorithm,
                             ByteView plaintext);
Result<SecretBytes> RsaOaepDecrypt(const SecretBytes& pkcs8, std::string_view algorithm,
                                   ByteView ciphertext);

}  // namespace envelope::kms::server
