#pragma once
// Derives the message's encryption key (and, for committing suites, the commit key) from the
// data key. Spec: docs/format.md#key-derivation.
//   identity suites:      key = data key
//   HKDF-SHA256/384:      key = HKDF(salt = none, ikm = data key, info = suite id | message id)
//   HKDF-SHA512 commit:   prk = Extract(salt = message id, ikm = data key)
//                         key = Expand(prk, suite id | "DERIVEKEY", 32)
//                         commit key = Expand(prk, "COMMITKEY", 32)
#include "core/bytes.h"
#include "envelope/secret_bytes.h"
#include "format/suites.h"

namespace envelope::message {

struct DerivedKeys {
  SecretBytes encryption_key;
  Bytes commit_key;  // empty for non-committing suites
};

// kInvalidArgument when the data key or message id has the wrong length for the suite.
Result<DerivedKeys> DeriveKeys(const format::SuiteInfo& suite, const SecretBytes& data_key,
                               ByteView message_id);

}  // namespace envelope::message
