#pragma once
// The built-in keyrings and CMMs. Spec: docs/format.md#keyrings.
#include <chrono>
#include <cstdint>
#include <limits>
#include <memory>
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

class Clock;
class MaterialsCache;  // opaque: a thread-safe LRU cache of materials, shareable between CMMs

// A cache for MakeCachingCmm that several caching CMMs may share (entries are shared only
// between CMMs with the same partition). `capacity` >= 1 entries; the least recently used entry
// is evicted first. `clock` (nullptr: the real clock) must outlive the cache.
std::shared_ptr<MaterialsCache> MakeMaterialsCache(std::size_t capacity,
                                                   const Clock* clock = nullptr);

struct CachingOptions {
  std::size_t capacity = 0;  // entries, >= 1 (ignored when `cache` is given)
  // How long a data key may be used after it was made; > 0.
  std::chrono::duration<double> max_age{0};
  std::uint64_t max_messages_encrypted = std::uint64_t{1} << 32;  // per data key, >= 1
  std::uint64_t max_bytes_encrypted = std::numeric_limits<std::int64_t>::max();  // per data key
  // Entries are shared only with CMMs of the same partition; empty: a random one (never shared).
  std::string partition;
  std::shared_ptr<MaterialsCache> cache;  // null: a new cache of `capacity` entries
  const Clock* clock = nullptr;           // for a new cache; nullptr: the real clock
};

// The caching CMM: reuses the underlying CMM's materials while they are younger than max_age and,
// for encryption, have protected fewer than max_messages_encrypted messages and
// max_bytes_encrypted bytes. Cache keys follow the ESDK's formulas (hash of partition, suite and
// context; for decryption also the EDKs, and the reproduced context when one is given). Encrypt
// requests of unknown plaintext length and suites without a KDF are never cached.
// Thread-safe. kInvalidArgument for a null CMM, capacity 0 (without a cache), max_age <= 0 or
// max_messages_encrypted 0.
Result<CmmPtr> MakeCachingCmm(CmmPtr underlying, CachingOptions options);

}  // namespace envelope
