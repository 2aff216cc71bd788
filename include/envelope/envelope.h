#pragma once
// Envelope: encrypt and decrypt AWS Encryption SDK messages (v1 and v2, all 11 suites).
//
// Streaming calls use constant memory whatever the message size: frames are encrypted and
// decrypted in parallel on all cores, in order, and the output is byte-identical to a
// sequential run. Decrypt never releases plaintext of a frame that has not been authenticated;
// for signed messages the final frame is held back until the signature verifies, and with
// `release_after_verify` nothing is released until the whole message is verified.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "envelope/materials.h"

namespace envelope {

class Random;

// A source of bytes. Read returns the number of bytes read, 0 only at the end of the input.
class InputStream {
 public:
  virtual ~InputStream() = default;
  virtual Result<std::size_t> Read(std::span<std::uint8_t> buffer) = 0;
};

// A sink of bytes.
class OutputStream {
 public:
  virtual ~OutputStream() = default;
  virtual Status Write(std::span<const std::uint8_t> data) = 0;
};

inline constexpr std::uint32_t kDefaultFrameLength = 4096;

struct EncryptOptions {
  EncryptionContext encryption_context;
  CommitmentPolicy commitment_policy = CommitmentPolicy::kRequireEncryptRequireDecrypt;
  std::optional<AlgorithmSuite> suite;  // default: DefaultSuite(commitment_policy)
  std::uint32_t frame_length = kDefaultFrameLength;  // 1 .. 2^32-1
  std::optional<std::size_t> max_encrypted_data_keys;
  std::optional<std::uint64_t> plaintext_length;  // when known; lets caching CMMs count bytes
  unsigned threads = 0;                           // 0: all cores
  Random* random = nullptr;       // source of message ids; null: the system CSPRNG (tests pin it)
};

struct DecryptOptions {
  CommitmentPolicy commitment_policy = CommitmentPolicy::kRequireEncryptRequireDecrypt;
  std::optional<std::size_t> max_encrypted_data_keys;
  // Pairs the caller expects; for a required-context CMM, the pairs kept out of the header.
  EncryptionContext reproduced_encryption_context;
  bool unsigned_only = false;         // fail on a signed suite before releasing anything
  bool release_after_verify = false;  // hold all plaintext until the whole message verifies
  unsigned threads = 0;
};

// What a message says about itself, for metadata output.
struct MessageInfo {
  std::uint8_t version = 0;
  AlgorithmSuite suite{};
  std::vector<std::uint8_t> message_id;
  bool framed = true;
  std::uint32_t frame_length = 0;
  EncryptionContext encryption_context;  // as stored in the header
  std::vector<EncryptedDataKey> encrypted_data_keys;
  std::uint64_t plaintext_bytes = 0;
  std::uint64_t ciphertext_bytes = 0;
};

// Errors of both: kInvalidArgument (options, reserved context keys), kCorrupt (the message is
// malformed or fails authentication: one uniform message), kNotFound (no keyring could decrypt
// a data key), errors of the input and output streams, and remote errors of the keyrings.
Result<MessageInfo> Encrypt(CryptoMaterialsManager& cmm, const EncryptOptions& options,
                            InputStream& input, OutputStream& output);
Result<MessageInfo> Decrypt(CryptoMaterialsManager& cmm, const DecryptOptions& options,
                            InputStream& input, OutputStream& output);

// One-call forms over memory.
Result<std::vector<std::uint8_t>> EncryptBuffer(CryptoMaterialsManager& cmm,
                                                const EncryptOptions& options,
                                                std::span<const std::uint8_t> plaintext,
                                                MessageInfo* info = nullptr);
Result<std::vector<std::uint8_t>> DecryptBuffer(CryptoMaterialsManager& cmm,
                                                const DecryptOptions& options,
                                                std::span<const std::uint8_t> ciphertext,
                                                MessageInfo* info = nullptr);

}  // namespace envelope
