#pragma once
// The local KMS's symmetric ciphertext blob: an opaque, versioned binary format that names the key
// and the key-material version, so Decrypt needs no KeyId and rotated keys still decrypt old blobs.
//
// Layout (big-endian):
//   u8  magic 0xE7 | u8 format version 0x01
//   u8  len | account id (ASCII)
//   u8  len | region (ASCII)
//   u8  len | key id (ASCII)
//   u32 key material version
//   u8[12] IV | ciphertext (same length as the plaintext) | u8[16] GCM tag
// Cipher: AES-256-GCM under the key material of that version.
// AAD: every header byte (magic .. material version), then EncodeEncryptionContext(context).
// Because the header holds the key id, a blob never authenticates under another key's name.
#include <cstdint>
#include <string>

#include "core/bytes.h"
#include "envelope/result.h"
#include "envelope/secret_bytes.h"
#include "kms/api/types.h"

namespace envelope::kms::server {

inline constexpr std::uint8_t kBlobMagic = 0xE7;
inline constexpr std::uint8_t kBlobVersion = 0x01;

struct BlobHeader {
  std::string account;
  std::string region;
  std::string key_id;
  std::uint32_t material_version = 0;
};

// An unambiguous encoding of an encryption context: u32 pair count, then for each pair in
// byte-wise key order u32 key length, key, u32 value length, value. {"ab":"c"} and {"a":"bc"}
// encode differently.
Bytes EncodeEncryptionContext(const EncryptionContext& context);

// Parses the header only. InvalidCiphertextException for anything that is not such a blob.
Result<BlobHeader> ParseBlobHeader(ByteView blob);

// Seals `plaintext`; `iv` must be 12 fresh random bytes.
Result<Bytes> SealBlob(const BlobHeader& header, ByteView key, ByteView iv,
                       const EncryptionContext& context, ByteView plaintext);

// Opens a blob whose header names a key with material `key`. InvalidCiphertextException when the
// blob is malformed or does not authenticate (wrong context, tampering).
Result<SecretBytes> OpenBlob(ByteView blob, ByteView key, const EncryptionContext& context);

}  // namespace envelope::kms::server
