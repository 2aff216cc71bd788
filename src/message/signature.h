#pragma once
// The footer signature: ECDSA over the hash of header | body, with the suite's curve and hash.
// Spec: docs/format.md#footer.
#include <optional>

#include "core/bytes.h"
#include "crypto/asymmetric.h"
#include "crypto/hash.h"
#include "envelope/secret_bytes.h"
#include "format/suites.h"

namespace envelope::message {

// A running hash of everything the signature covers; empty for unsigned suites.
std::optional<crypto::Hasher> SignatureHasher(const format::SuiteInfo& suite);

// Signs `digest` with the private scalar (whose compressed public point is `public_key`);
// fixed-length DER as the other SDKs emit.
Result<Bytes> SignFooter(const format::SuiteInfo& suite, const SecretBytes& private_scalar,
                         ByteView public_key, ByteView digest);
// kCorrupt when the signature does not verify under the compressed public key.
Status VerifyFooter(const format::SuiteInfo& suite, ByteView public_key, ByteView digest,
                    ByteView signature);

}  // namespace envelope::message
