#pragma once
// The server master key: 32 bytes that encrypt all key material at rest (AES-256-GCM).
#include <string>

#include "envelope/result.h"
#include "envelope/secret_bytes.h"

namespace envelope::kms::server {

inline constexpr const char* kMasterKeyEnv = "ENVELOPE_KMS_MASTER_KEY";

// Finds the master key, in this order:
//   1. `master_key_file` when non-empty: it must exist (32 raw bytes, or base64 of 32 bytes);
//   2. the environment variable ENVELOPE_KMS_MASTER_KEY (base64 of 32 bytes);
//   3. DATA_DIR/master.key, created with 32 random bytes, mode 0600, and fsynced when missing.
// A key file readable or writable by group or others is refused.
// Errors: kInvalidArgument (missing/unreadable/badly sized key, loose permissions).
Result<SecretBytes> LoadOrCreateMasterKey(const std::string& data_dir,
                                          const std::string& master_key_file);

}  // namespace envelope::kms::server
