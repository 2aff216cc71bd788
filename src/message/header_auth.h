#pragma once
// Header authentication: the AES-GCM tag of an empty plaintext under the derived key with a zero
// IV, over AAD = header body bytes | serialized authenticate-only context (the pairs of the
// materials' context whose keys are required but kept out of the header).
// Spec: docs/format.md#header (authentication).
#include <vector>

#include "core/bytes.h"
#include "envelope/materials.h"
#include "crypto/aes_gcm.h"
#include "format/header.h"

namespace envelope::message {

// Splits the materials' context into the pairs stored in the header and the authenticate-only
// pairs (keys listed in `required_keys` that are absent from `stored_context` when given).
struct ContextSplit {
  EncryptionContext stored;
  EncryptionContext authenticate_only;
};
ContextSplit SplitForEncrypt(const EncryptionContext& context,
                             const std::vector<std::string>& required_keys);
// On decrypt: the required pairs of the materials that the header does not hold.
EncryptionContext AuthenticateOnlyForDecrypt(const EncryptionContext& materials_context,
                                             const std::vector<std::string>& required_keys,
                                             const EncryptionContext& header_context);

// Computes header.iv (v1: 12 zero bytes) and header.tag over header.body, with `gcm` keyed by
// the message's derived encryption key (the same object then encrypts the body).
Status SignHeader(crypto::AesGcm& gcm, const EncryptionContext& authenticate_only,
                  format::Header& header);
// kCorrupt when the tag does not verify.
Status VerifyHeader(crypto::AesGcm& gcm, const EncryptionContext& authenticate_only,
                    const format::Header& header);

}  // namespace envelope::message
